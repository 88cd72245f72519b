package cube

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The queries are in contract/vectors/shared-dashboards.json; here what the panel is told.
func TestDropUnreplacedVariablesSaysWhatWasDropped(t *testing.T) {
	var query Query
	if err := json.Unmarshal([]byte(`{"measures":["c.churn"],"filters":[
		{"member":"c.segment","operator":"equals","values":["$segment"]},
		{"or":[{"dimension":"c.plan","operator":"equals","values":["pro","[[plan]]"]},{"member":"c.country","operator":"equals","values":["DE"]}]}]}`), &query); err != nil {
		t.Fatal(err)
	}
	_, dropped := DropUnreplacedVariables(query)
	want := []DroppedFilter{{Member: "c.segment", Value: "$segment"}, {Member: "c.plan", Value: "[[plan]]"}}
	if !reflect.DeepEqual(dropped, want) {
		t.Fatalf("dropped %+v, want %+v", dropped, want)
	}
	if got := dropped[0].Notice(); got != "Filter on c.segment left out: its value $segment is a dashboard variable that was not replaced (a shared dashboard or an alert rule sends none), so it counts as All." {
		t.Fatalf("notice %q", got)
	}
	if kept, none := DropUnreplacedVariables(Query{"measures": []any{"c.churn"}}); none != nil || len(kept) != 1 {
		t.Fatalf("a query without filters: %v %v", kept, none)
	}
}
