package cube

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A scripted Cube: each request gets the next answer (the last one repeats).
type answer struct {
	status int
	body   string
}

func scriptedCube(t *testing.T, answers ...answer) (*Client, *int32, *[]string) {
	t.Helper()
	var calls int32
	var bodies []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(atomic.AddInt32(&calls, 1)) - 1
		if r.Header.Get("Authorization") != "Bearer tenant-token" {
			t.Errorf("Authorization header %q", r.Header.Get("Authorization"))
		}
		var body strings.Builder
		if r.Body != nil {
			buf := make([]byte, 4096)
			for {
				k, err := r.Body.Read(buf)
				body.Write(buf[:k])
				if err != nil {
					break
				}
			}
		}
		bodies = append(bodies, r.Method+" "+r.URL.Path+" "+body.String())
		a := answers[min(n, len(answers)-1)]
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(server.Close)
	client := NewClient(server.URL+"/", "tenant-token")
	client.Poll, client.PollMax, client.Backoff = time.Millisecond, 4*time.Millisecond, time.Millisecond
	return client, &calls, &bodies
}

func TestClientCalls(t *testing.T) {
	const rows = `{"data":[{"a.b":"1"}]}`
	cases := []struct {
		name    string
		answers []answer
		// wantCalls: how many requests Cube saw.
		wantCalls int32
		wantBody  string
		wantError string
	}{
		{"answers at once", []answer{{200, rows}}, 1, rows, ""},
		{"asks again while Cube says Continue wait", []answer{{200, `{"error":"Continue wait"}`}, {200, `{"error":"Continue wait"}`}, {200, rows}}, 3, rows, ""},
		{"retries 502, 503 and 504", []answer{{502, ""}, {503, "busy"}, {504, ""}, {200, rows}}, 4, rows, ""},
		{"gives up after three retries, saying Cube cannot be reached", []answer{{503, `{"error":"overloaded"}`}}, 4, "", "Cannot reach Cube (HTTP 503): overloaded"},
		{"a query error is Cube's words, not retried", []answer{{400, `{"error":"Invalid query: measures[0]: member \"a.nope\" not found in \"a\"."}`}}, 1, "",
			`Invalid query: measures[0]: member "a.nope" not found in "a".`},
		{"a refused token says so, in Cube's words", []answer{{403, `{"error":"Invalid token"}`}}, 1, "", "Cube rejected the token (HTTP 403): Invalid token"},
		{"an error object's message", []answer{{500, `{"error":{"message":"boom"}}`}}, 1, "", "boom"},
		{"a bare status", []answer{{500, `not json`}}, 1, "", "Cube answered HTTP 500"},
		{"an error in a 200 answer is an error", []answer{{200, `{"error":"Query timeout"}`}}, 1, "", "Query timeout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client, calls, bodies := scriptedCube(t, c.answers...)
			body, err := client.Load(context.Background(), Query{"measures": []any{"a.b"}})
			if c.wantError != "" {
				if err == nil || err.Error() != c.wantError {
					t.Fatalf("error %v, want %q", err, c.wantError)
				}
			} else if err != nil || string(body) != c.wantBody {
				t.Fatalf("got %q, %v", body, err)
			}
			if *calls != c.wantCalls {
				t.Fatalf("%d requests, want %d", *calls, c.wantCalls)
			}
			// Long queries fit: /v1/load by POST with the query in the body.
			if want := `POST /cubejs-api/v1/load {"query":{"measures":["a.b"]}}`; (*bodies)[0] != want {
				t.Fatalf("request %q, want %q", (*bodies)[0], want)
			}
		})
	}
}

func TestClientPausesLongerEachContinueWait(t *testing.T) {
	var times []time.Time
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		times = append(times, time.Now())
		if len(times) < 5 {
			_ = json.NewEncoder(w).Encode(map[string]string{"error": ContinueWait})
			return
		}
		_, _ = w.Write([]byte(`{"data":[]}`))
	}))
	defer server.Close()
	client := NewClient(server.URL, "t")
	client.Poll, client.PollMax = 10*time.Millisecond, 40*time.Millisecond
	if _, err := client.Meta(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Pauses of 10, 20, 40 and 40 ms (capped): each gap at least its pause.
	for i, want := range []time.Duration{10, 20, 40, 40} {
		if gap := times[i+1].Sub(times[i]); gap < want*time.Millisecond {
			t.Fatalf("pause %d was %v, want at least %v ms", i, gap, want)
		}
	}
}

func TestClientStopsWaitingAfterWait(t *testing.T) {
	client, calls, _ := scriptedCube(t, answer{200, `{"error":"Continue wait"}`})
	client.Wait = 20 * time.Millisecond
	_, err := client.Load(context.Background(), Query{})
	if err == nil || !strings.Contains(err.Error(), "Cube is still working on this query after 0 s; refresh to pick up the result.") {
		t.Fatalf("error %v", err)
	}
	if *calls < 2 {
		t.Fatalf("asked %d times", *calls)
	}
}

func TestClientRetriesNetworkErrors(t *testing.T) {
	// A port that refuses connections: every attempt fails, and is tried 1 + Retries times.
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	address := listener.Addr().String()
	_ = listener.Close()
	client := NewClient("http://"+address, "t")
	client.Backoff = 5 * time.Millisecond
	started := time.Now()
	_, err = client.Meta(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), "Cannot reach Cube at http://"+address+": ") {
		t.Fatalf("error %v", err)
	}
	// Backoff doubles: 5 + 10 + 20 ms between the four attempts.
	if elapsed := time.Since(started); elapsed < 35*time.Millisecond {
		t.Fatalf("gave up after %v: not retried with backoff", elapsed)
	}
}

func TestClientHonoursCancellation(t *testing.T) {
	client, _, _ := scriptedCube(t, answer{200, `{"error":"Continue wait"}`})
	client.Poll, client.PollMax = 50*time.Millisecond, 50*time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := client.Load(ctx, Query{}); err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("error %v", err)
	}
}
