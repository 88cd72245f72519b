package plugin

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// continueWaitSpy notes when Cube answers "Continue wait", passing every answer on unchanged.
type continueWaitSpy struct{ seen atomic.Bool }

func (s *continueWaitSpy) RoundTrip(request *http.Request) (*http.Response, error) {
	response, err := http.DefaultTransport.RoundTrip(request)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(response.Body)
	_ = response.Body.Close()
	if err != nil {
		return nil, err
	}
	if strings.Contains(string(body), `"Continue wait"`) {
		s.seen.Store(true)
	}
	response.Body = io.NopCloser(bytes.NewReader(body))
	return response, nil
}

func TestLiveContinueWaitIsPolled(t *testing.T) {
	// Cube answers "Continue wait" when a query runs longer than its continueWaitTimeout (5 s).
	// A lock on the table makes the real query wait in PostgreSQL; releasing it lets it finish.
	ctx := context.Background()
	locker, err := pgx.Connect(ctx, stack.WarehouseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(ctx)
	lock, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lock.Rollback(ctx) }()
	if _, err := lock.Exec(ctx, "LOCK TABLE survey_responses IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}

	d := dataSourceFor(t, "surveys")
	spy := &continueWaitSpy{}
	d.client.HTTP = &http.Client{Transport: spy, Timeout: time.Minute}
	// A limit no other test uses, so Cube's result cache cannot answer it. CES: answers 5, 6, 7, 6 → 6.
	target := `{"refId":"A","version":2,"format":"table","cubeQuery":{"measures":["survey_responses.ces"],"limit":4322}}`
	done := make(chan []float64, 1)
	failed := make(chan error, 1)
	go func() {
		r := run(t, d, target, "2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil)
		if r.Error != nil {
			failed <- r.Error
			return
		}
		field, _ := r.Frames[0].FieldByName("survey_responses.ces")
		done <- numbers(field)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !spy.seen.Load() && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	if !spy.seen.Load() {
		t.Fatal(`Cube never answered "Continue wait" while the table was locked`)
	}
	if err := lock.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case ces := <-done:
		sameNumbers(t, "ces", ces, []float64{6})
	case err := <-failed:
		t.Fatal(err)
	case <-time.After(60 * time.Second):
		t.Fatal("the query did not finish after the lock was released")
	}
}
