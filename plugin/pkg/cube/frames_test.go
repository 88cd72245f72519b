package cube

import (
	"strings"
	"testing"
)

func TestFramesOfACompactAnswer(t *testing.T) {
	compact := `{"data":{"members":["a.at.day","a.n"],"dataset":[["2025-01-02T00:00:00.000","3"],["2025-01-03T00:00:00.000",null]]},
		"annotation":{"measures":{"a.n":{"type":"number"}},"dimensions":{},"timeDimensions":{"a.at.day":{"type":"time"}}}}`
	query := Query{"measures": []any{"a.n"}, "timeDimensions": []any{map[string]any{"dimension": "a.at", "granularity": "day"}}, "responseFormat": "compact"}
	frames, err := Frames([]byte(compact), query, FrameOptions{RefID: "A", Format: "time_series"})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := frames[0].FieldByName("a.n")
	if n.Len() != 2 || *n.At(0).(*float64) != 3 || n.At(1).(*float64) != nil {
		t.Fatalf("values %v", n)
	}
	if _, err := Frames([]byte(`{"data":{"rows":[]}}`), query, FrameOptions{RefID: "A"}); err == nil ||
		!strings.Contains(err.Error(), "Unexpected /v1/load answer from Cube: data: expected an array of rows or {members, dataset}") {
		t.Fatalf("error %v", err)
	}
}
