package cube

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The shared test vectors (contract/vectors/*.json): the TypeScript tests and these read every
// file, so both sides accept, reject and build the same queries and frames.
const vectorsDir = "../../../contract/vectors"

type vector struct {
	Name string `json:"name"`
	// Query vectors: a stored target, the dashboard range and the clock.
	Saved json.RawMessage `json:"saved"`
	Range *struct {
		From time.Time `json:"from"`
		To   time.Time `json:"to"`
	} `json:"range"`
	Now *time.Time `json:"now"`
	// Frame vectors: a query sent, its /v1/load answer and the frames TypeScript made of it.
	Query  Query           `json:"query"`
	RefID  string          `json:"refId"`
	Format string          `json:"format"`
	Load   json.RawMessage `json:"load"`
	Expect struct {
		CubeQuery any     `json:"cubeQuery"`
		Error     *string `json:"error"`
		Frames    any     `json:"frames"`
	} `json:"expect"`
}

func readVectors(t *testing.T) map[string][]vector {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(vectorsDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no vectors in %s: %v", vectorsDir, err)
	}
	all := map[string][]vector{}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var vectors []vector
		if err := json.Unmarshal(raw, &vectors); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		all[filepath.Base(file)] = vectors
	}
	return all
}

// asJSON makes a value generic JSON, so that maps, slices and numbers compare as parsed JSON does.
func asJSON(t *testing.T, value any) any {
	t.Helper()
	encoded, err := json.Marshal(value)
	if err != nil {
		t.Fatal(err)
	}
	var generic any
	if err := json.Unmarshal(encoded, &generic); err != nil {
		t.Fatal(err)
	}
	return generic
}

func TestSharedVectors(t *testing.T) {
	counts := map[string]int{}
	for file, vectors := range readVectors(t) {
		for _, v := range vectors {
			t.Run(file+"/"+v.Name, func(t *testing.T) {
				switch {
				case v.Saved != nil:
					counts["query"]++
					checkQueryVector(t, v)
				case v.Load != nil:
					counts["frames"]++
					checkFrameVector(t, v)
				default:
					t.Fatalf("%s: a vector has either \"saved\" (a query) or \"load\" (frames)", file)
				}
			})
		}
	}
	if counts["query"] < 30 || counts["frames"] < 5 {
		t.Fatalf("expected the query and frame vectors, read %v", counts)
	}
}

func checkQueryVector(t *testing.T, v vector) {
	target, err := ParseTarget(v.Saved)
	if v.Expect.Error != nil {
		if err == nil {
			t.Fatalf("accepted; expected an error containing %q", *v.Expect.Error)
		}
		if !strings.Contains(err.Error(), *v.Expect.Error) || !strings.HasPrefix(err.Error(), "Invalid Cube query: ") {
			t.Fatalf("error %q does not contain %q", err.Error(), *v.Expect.Error)
		}
		return
	}
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	query, _ := DropUnreplacedVariables(target.Query)
	if v.Range != nil {
		now := time.Now()
		if v.Now != nil {
			now = *v.Now
		}
		query, _ = target.Runnable(TimeRange{From: v.Range.From, To: v.Range.To}, now)
	}
	got, want := asJSON(t, query), asJSON(t, v.Expect.CubeQuery)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("cubeQuery\n got %s\nwant %s", mustJSON(got), mustJSON(want))
	}
}

func mustJSON(value any) string {
	encoded, _ := json.Marshal(value)
	return string(encoded)
}

func checkFrameVector(t *testing.T, v vector) {
	frames, err := Frames(v.Load, asJSON(t, v.Query).(map[string]any), FrameOptions{RefID: v.RefID, Format: v.Format})
	if err != nil {
		t.Fatal(err)
	}
	got, want := asJSON(t, normalizeFrames(t, frames)), asJSON(t, v.Expect.Frames)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("frames\n got %s\nwant %s", mustJSON(got), mustJSON(want))
	}
}

var fieldTypeNames = map[data.FieldType]string{
	data.FieldTypeNullableFloat64: "number",
	data.FieldTypeNullableTime:    "time",
	data.FieldTypeNullableBool:    "boolean",
	data.FieldTypeNullableString:  "string",
}

// normalizeFrames writes SDK frames as a TypeScript DataFrame is written by JSON.stringify:
// times as epoch milliseconds, -Infinity and NaN as null.
func normalizeFrames(t *testing.T, frames data.Frames) []any {
	out := []any{}
	for _, frame := range frames {
		rows, _ := frame.RowLen()
		fields := []any{}
		for _, field := range frame.Fields {
			values := make([]any, field.Len())
			for i := range values {
				switch v := field.At(i).(type) {
				case *float64:
					if v != nil {
						values[i] = *v
					}
				case *time.Time:
					if v != nil {
						values[i] = float64(v.UnixMilli())
					}
				case *bool:
					if v != nil {
						values[i] = *v
					}
				case *string:
					if v != nil {
						values[i] = *v
					}
				default:
					t.Fatalf("field %s has values of type %T", field.Name, v)
				}
			}
			normalized := map[string]any{"name": field.Name, "type": fieldTypeNames[field.Type()], "values": values, "config": field.Config}
			if len(field.Labels) > 0 {
				normalized["labels"] = field.Labels
			}
			fields = append(fields, normalized)
		}
		meta := asJSON(t, frame.Meta).(map[string]any)
		if reflect.DeepEqual(meta["typeVersion"], []any{0.0, 0.0}) {
			delete(meta, "typeVersion")
		}
		out = append(out, map[string]any{"refId": frame.RefID, "name": frame.Name, "length": rows, "fields": fields, "meta": meta})
	}
	return out
}
