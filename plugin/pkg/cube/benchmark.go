package cube

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

// The benchmark meta of a KPI measure, checked as contract/src/benchmark.ts kpiMetaSchema does:
// a benchmark that does not match is ignored (and reported by CheckHealth), never half-used.

var (
	bandLabels  = []string{"poor", "fair", "good", "excellent"}
	directions  = []string{"higher_is_better", "lower_is_better"}
	units       = []string{"percent", "score", "seconds", "hours", "currency", "count"}
	windowGrain = []string{"month", "quarter", "year", "lifetime"}
	ownMember   = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	bandColors  = map[string]string{"poor": "red", "fair": "orange", "good": "green", "excellent": "dark-green"}
)

// Benchmark is a parsed benchmark: only the keys the schema knows, as zod's parse leaves them.
type Benchmark = map[string]any

// HasBands says whether the benchmark has bands (not {"none": true}).
func HasBands(b Benchmark) bool {
	_, none := b["none"]
	return b != nil && !none
}

// BenchmarkOf is the benchmark of a measure's meta, or why it was ignored (meta without a
// benchmark: neither).
func BenchmarkOf(name string, meta any) (Benchmark, string) {
	object, ok := meta.(map[string]any)
	if !ok {
		return nil, ""
	}
	if _, present := object["benchmark"]; !present {
		return nil, ""
	}
	benchmark, err := parseKpiMeta(object)
	if err != nil {
		return nil, fmt.Sprintf("%s: meta.%s", name, err.Error())
	}
	return benchmark, ""
}

func parseKpiMeta(meta map[string]any) (Benchmark, error) {
	if meta["kpi"] != true {
		return nil, invalid([]string{"kpi"}, "expected true")
	}
	path := []string{"benchmark"}
	object, err := asObject(meta["benchmark"], path, "expected an object")
	if err != nil {
		return nil, err
	}
	var benchmark Benchmark
	if _, none := object["none"]; none {
		benchmark, err = parseNoBenchmark(object, path)
	} else {
		benchmark, err = parseBands(object, path)
	}
	if err != nil {
		return nil, err
	}
	window, err := parseWindow(object["window"], at(path, "window"))
	if err != nil {
		return nil, err
	}
	benchmark["window"] = window
	if err := checkNeeds(meta); err != nil {
		return nil, err
	}
	return benchmark, nil
}

// checkNeeds is kpiMetaSchema's needs: optional, else a non-empty list of known needs (needs.go).
func checkNeeds(meta map[string]any) error {
	value, present := meta["needs"]
	if !present {
		return nil
	}
	list, ok := value.([]any)
	if !ok {
		return invalid([]string{"needs"}, "Invalid input: expected array")
	}
	if len(list) == 0 {
		return invalid([]string{"needs"}, "Too small: expected array to have >=1 items")
	}
	for i, item := range list {
		if item != NeedSubscriptions {
			return invalid(at([]string{"needs"}, i), "Invalid input: expected %q", NeedSubscriptions)
		}
	}
	return nil
}

func parseNoBenchmark(object map[string]any, path []string) (Benchmark, error) {
	if object["none"] != true {
		return nil, invalid(at(path, "none"), "expected true")
	}
	reason, ok := object["reason"].(string)
	if !ok || len([]rune(reason)) < 10 {
		return nil, invalid(at(path, "reason"), "expected why no benchmark applies")
	}
	return Benchmark{"none": true, "reason": reason}, nil
}

func enumField(object map[string]any, path []string, key string, allowed []string) (string, error) {
	text, ok := object[key].(string)
	if !ok || !contains(allowed, text) {
		return "", invalid(at(path, key), "expected one of %s", strings.Join(allowed, ", "))
	}
	return text, nil
}

func bound(value any, path []string) (any, error) {
	switch v := value.(type) {
	case nil:
		return nil, nil
	case float64:
		return v, nil
	}
	return nil, invalid(path, "expected a number or null")
}

func parseBands(object map[string]any, path []string) (Benchmark, error) {
	direction, err := enumField(object, path, "direction", directions)
	if err != nil {
		return nil, err
	}
	unit, err := enumField(object, path, "unit", units)
	if err != nil {
		return nil, err
	}
	benchmark := Benchmark{"direction": direction, "unit": unit}
	if context, present := object["context"]; present {
		text, ok := context.(string)
		if !ok || text == "" {
			return nil, invalid(at(path, "context"), "expected a non-empty string")
		}
		benchmark["context"] = text
	}
	list, ok := object["bands"].([]any)
	if !ok || len(list) < 2 {
		return nil, invalid(at(path, "bands"), "expected at least two bands")
	}
	bands := make([]any, len(list))
	labels := make([]string, len(list))
	for i, item := range list {
		bandPath := at(at(path, "bands"), i)
		b, err := asObject(item, bandPath, "expected a band { label, from, to }")
		if err != nil {
			return nil, err
		}
		label, err := enumField(b, bandPath, "label", bandLabels)
		if err != nil {
			return nil, err
		}
		from, err := bound(b["from"], at(bandPath, "from"))
		if err != nil {
			return nil, err
		}
		to, err := bound(b["to"], at(bandPath, "to"))
		if err != nil {
			return nil, err
		}
		bands[i] = map[string]any{"label": label, "from": from, "to": to}
		labels[i] = label
	}
	source, ok := object["source"].(string)
	if !ok || len([]rune(source)) < 10 {
		return nil, invalid(at(path, "source"), "expected the source the bands come from")
	}
	benchmark["bands"] = bands
	benchmark["source"] = source
	return benchmark, checkTiling(bands, labels, direction, at(path, "bands"))
}

// checkTiling: bands run from low values to high and tile the whole number line.
func checkTiling(bands []any, labels []string, direction string, path []string) error {
	first, last := bands[0].(map[string]any), bands[len(bands)-1].(map[string]any)
	if first["from"] != nil {
		return invalid(path, "the first band must start at null (unbounded)")
	}
	if last["to"] != nil {
		return invalid(path, "the last band must end at null (unbounded)")
	}
	for i := 0; i+1 < len(bands); i++ {
		b, next := bands[i].(map[string]any), bands[i+1].(map[string]any)
		if b["to"] != next["from"] {
			return invalid(path, "band %s ends at %v but %s starts at %v", labels[i], b["to"], labels[i+1], next["from"])
		}
	}
	rank := func(label string) int {
		for i, l := range bandLabels {
			if l == label {
				return i
			}
		}
		return math.MaxInt
	}
	for i := 1; i < len(labels); i++ {
		better := rank(labels[i]) > rank(labels[i-1])
		if direction == "lower_is_better" {
			better = rank(labels[i]) < rank(labels[i-1])
		}
		if !better {
			return invalid(path, "bands must run from poor to excellent in the %s direction", direction)
		}
	}
	return nil
}

func ownMemberField(value any, path []string) (string, error) {
	text, ok := value.(string)
	if !ok || !ownMember.MatchString(text) {
		return "", invalid(path, "expected a member of the KPI's own cube, without the cube's name")
	}
	return text, nil
}

func parseWindow(value any, path []string) (map[string]any, error) {
	if value == nil {
		return nil, invalid(path, "expected the window the KPI is judged on, e.g. { grain: month, time_dimension: started_at }")
	}
	object, err := asObject(value, path, "expected an object")
	if err != nil {
		return nil, err
	}
	if err := strictKeys(object, path, "grain", "time_dimension", "cohort_age", "filters", "scope"); err != nil {
		return nil, err
	}
	grain, err := enumField(object, path, "grain", windowGrain)
	if err != nil {
		return nil, err
	}
	window := map[string]any{"grain": grain}
	if td, present := object["time_dimension"]; present {
		if window["time_dimension"], err = ownMemberField(td, at(path, "time_dimension")); err != nil {
			return nil, err
		}
	}
	if age, present := object["cohort_age"]; present {
		agePath := at(path, "cohort_age")
		a, err := asObject(age, agePath, "expected { dimension, periods }")
		if err != nil {
			return nil, err
		}
		if err := strictKeys(a, agePath, "dimension", "periods"); err != nil {
			return nil, err
		}
		dimension, err := ownMemberField(a["dimension"], at(agePath, "dimension"))
		if err != nil {
			return nil, err
		}
		periods, ok := a["periods"].(float64)
		if !ok || periods != math.Trunc(periods) || periods <= 0 {
			return nil, invalid(at(agePath, "periods"), "expected a positive integer")
		}
		window["cohort_age"] = map[string]any{"dimension": dimension, "periods": periods}
	}
	if filters, present := object["filters"]; present {
		filtersPath := at(path, "filters")
		list, ok := filters.([]any)
		if !ok || len(list) == 0 {
			return nil, invalid(filtersPath, "expected at least one filter")
		}
		for i, item := range list {
			f, err := asObject(item, at(filtersPath, i), "expected { dimension, equals }")
			if err != nil {
				return nil, err
			}
			if err := strictKeys(f, at(filtersPath, i), "dimension", "equals"); err != nil {
				return nil, err
			}
			if _, err := ownMemberField(f["dimension"], at(at(filtersPath, i), "dimension")); err != nil {
				return nil, err
			}
			equals, ok := f["equals"].([]any)
			if !ok || len(equals) == 0 {
				return nil, invalid(at(at(filtersPath, i), "equals"), "expected at least one value")
			}
			for j, v := range equals {
				if text, ok := v.(string); !ok || text == "" {
					return nil, invalid(at(at(at(filtersPath, i), "equals"), j), "expected a non-empty string")
				}
			}
		}
		window["filters"] = list
	}
	if scope, present := object["scope"]; present {
		text, ok := scope.(string)
		if !ok || text == "" {
			return nil, invalid(at(path, "scope"), "expected a non-empty string")
		}
		window["scope"] = text
	}
	_, periodic := window["time_dimension"]
	if grain != "lifetime" && !periodic {
		return nil, invalid(at(path, "time_dimension"), "a %s window needs the time dimension it runs on", grain)
	}
	_, hasAge := window["cohort_age"]
	if grain == "lifetime" && (periodic || hasAge) {
		return nil, invalid(at(path, "grain"), "a lifetime window has no time dimension or cohort age")
	}
	_, hasFilters := window["filters"]
	_, hasScope := window["scope"]
	if hasFilters != hasScope {
		return nil, invalid(at(path, "scope"), "filters and scope go together: scope says in words what the filters keep")
	}
	return window, nil
}
