package cube

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ContinueWait is what Cube answers, with HTTP 200, for a query still queued or running.
const ContinueWait = "Continue wait"

// Client talks to one Cube deployment's REST API with one tenant's token.
type Client struct {
	// BaseURL is Cube's base URL as the data source's jsonData.cubeUrl holds it (no /cubejs-api).
	BaseURL string
	Token   string
	HTTP    *http.Client
	// Wait bounds how long a query may stay in "Continue wait"; Cube keeps working after we
	// stop, and a later request finds the result cached.
	Wait time.Duration
	// Poll is the first pause between "Continue wait" answers; it doubles up to PollMax.
	Poll, PollMax time.Duration
	// Retries is how many times a network error or a 502/503/504 is tried again, after Backoff, doubling.
	Retries int
	Backoff time.Duration
}

// NewClient has the defaults the data source runs with.
func NewClient(baseURL, token string) *Client {
	return &Client{
		BaseURL: strings.TrimRight(baseURL, "/"),
		Token:   token,
		HTTP:    &http.Client{Timeout: 60 * time.Second},
		Wait:    120 * time.Second,
		Poll:    250 * time.Millisecond,
		PollMax: 2 * time.Second,
		Retries: 3,
		Backoff: 250 * time.Millisecond,
	}
}

// Error is a failed exchange with Cube, in Cube's words where it gave some.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Message }

// ErrorText is Cube's error text in an answer: {"error": "…"}, {"error": {"message"}} or {"message"}
// (contract/src/continue-wait.ts cubeErrorText).
func ErrorText(body []byte) string {
	var answer struct {
		Error   json.RawMessage `json:"error"`
		Message any             `json:"message"`
	}
	if json.Unmarshal(body, &answer) != nil {
		return ""
	}
	if len(answer.Error) > 0 {
		var text string
		if json.Unmarshal(answer.Error, &text) == nil {
			return text
		}
		var object struct {
			Message any `json:"message"`
		}
		if json.Unmarshal(answer.Error, &object) == nil && object.Message != nil {
			return fmt.Sprint(object.Message)
		}
	}
	if text, ok := answer.Message.(string); ok {
		return text
	}
	return ""
}

func describeFailure(status int, text string) string {
	suffix := ""
	if text != "" {
		suffix = ": " + text
	}
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Sprintf("Cube rejected the token (HTTP %d)%s", status, suffix)
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return fmt.Sprintf("Cannot reach Cube (HTTP %d)%s", status, suffix)
	}
	if text != "" {
		return text
	}
	return fmt.Sprintf("Cube answered HTTP %d", status)
}

func transient(status int) bool {
	return status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// exchange is one request, tried again on network errors and 502/503/504 with a doubling backoff.
func (c *Client) exchange(ctx context.Context, method, endpoint string, body []byte) (int, []byte, error) {
	backoff := c.Backoff
	for attempt := 0; ; attempt++ {
		status, answer, err := c.once(ctx, method, endpoint, body)
		retry := err != nil || transient(status)
		if !retry || attempt >= c.Retries || ctx.Err() != nil {
			return status, answer, err
		}
		if err := sleep(ctx, backoff); err != nil {
			return 0, nil, err
		}
		backoff *= 2
	}
}

func (c *Client) once(ctx context.Context, method, endpoint string, body []byte) (int, []byte, error) {
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	request, err := http.NewRequestWithContext(ctx, method, c.BaseURL+"/cubejs-api/v1/"+endpoint, reader)
	if err != nil {
		return 0, nil, fmt.Errorf("the Cube URL %q is not usable: %w", c.BaseURL, err)
	}
	request.Header.Set("Authorization", "Bearer "+c.Token)
	if body != nil {
		request.Header.Set("Content-Type", "application/json")
	}
	response, err := c.HTTP.Do(request)
	if err != nil {
		return 0, nil, fmt.Errorf("Cannot reach Cube at %s: %w", c.BaseURL, unwrapURLError(err))
	}
	defer response.Body.Close()
	answer, err := io.ReadAll(response.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("Cannot read Cube's answer from %s: %w", c.BaseURL, err)
	}
	return response.StatusCode, answer, nil
}

// unwrapURLError drops net/http's repetition of method and URL, which the message already names.
func unwrapURLError(err error) error {
	var urlError interface{ Unwrap() error }
	if errors.As(err, &urlError) {
		if inner := urlError.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// Call sends one request and asks again while Cube answers "Continue wait", pausing longer
// each time; a Cube error becomes an *Error in Cube's words. body nil: a GET.
func (c *Client) Call(ctx context.Context, endpoint string, body any) ([]byte, error) {
	method := http.MethodGet
	var payload []byte
	if body != nil {
		method = http.MethodPost
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	started := time.Now()
	pause := c.Poll
	for {
		status, answer, err := c.exchange(ctx, method, endpoint, payload)
		if err != nil {
			return nil, err
		}
		text := ErrorText(answer)
		if status == http.StatusOK && text == ContinueWait {
			if time.Since(started) >= c.Wait {
				return nil, &Error{Status: status, Message: fmt.Sprintf(
					"Cube is still working on this query after %d s; refresh to pick up the result.", int(c.Wait.Seconds()))}
			}
			if err := sleep(ctx, pause); err != nil {
				return nil, err
			}
			pause = min(pause*2, c.PollMax)
			continue
		}
		if status >= 400 || text != "" {
			return nil, &Error{Status: status, Message: describeFailure(status, text)}
		}
		return answer, nil
	}
}

// Load runs a query through /v1/load, by POST so that long queries fit. A query with a
// compareDateRange is sent as queryType "multi", the only way Cube 0.35 answers one (with
// one result per range).
func (c *Client) Load(ctx context.Context, query Query) ([]byte, error) {
	body := map[string]any{"query": query}
	if comparesRanges(query) {
		body["queryType"] = "multi"
	}
	return c.Call(ctx, "load", body)
}

func comparesRanges(query Query) bool {
	list, _ := query["timeDimensions"].([]any)
	for _, item := range list {
		if td, ok := item.(map[string]any); ok && td["compareDateRange"] != nil {
			return true
		}
	}
	return false
}

// SQL asks /v1/sql for the SQL Cube generates for a query.
func (c *Client) SQL(ctx context.Context, query Query) ([]byte, error) {
	return c.Call(ctx, "sql", map[string]any{"query": query})
}

// Meta is /v1/meta: the cubes, views and members the token's tenant sees.
func (c *Client) Meta(ctx context.Context) ([]byte, error) {
	return c.Call(ctx, "meta", nil)
}
