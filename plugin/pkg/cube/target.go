package cube

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Target is a saved panel query (version 2), as Grafana stores it and as an alert rule or an
// externally shared dashboard sends it unchanged (notes: I12-SPEC.md "Saved panel target").
type Target struct {
	RefID string
	Hide  bool
	// Query is the Cube query as saved, before the dashboard range is applied.
	Query Query
	// Format is "time_series" or "table" once resolved; "auto" as saved.
	Format string
	// Periods is "complete" (judge the last complete period) or "to_date".
	Periods string
}

var (
	formats = []string{"auto", "time_series", "table"}
	periods = []string{"complete", "to_date"}
	// Operators that take no values, and those that take exactly two (contract/src/query-model.ts).
	unaryOperators = []string{"set", "notSet", "measureFilter"}
	rangeOperators = []string{"inDateRange", "notInDateRange"}
)

// InvalidQueryError is a target that cannot run; its text names the field, as the TypeScript side's does.
type InvalidQueryError struct{ Err error }

func (e *InvalidQueryError) Error() string { return "Invalid Cube query: " + e.Err.Error() }
func (e *InvalidQueryError) Unwrap() error { return e.Err }

// ParseTarget reads a saved target, version 2 or a version 1 query model (no "version"), which
// it migrates: the Cube query today's buildCubeQuery makes, judged on complete periods.
func ParseTarget(raw []byte) (Target, error) {
	var value any
	if err := json.Unmarshal(raw, &value); err != nil {
		return Target{}, &InvalidQueryError{fmt.Errorf("(root): not JSON: %w", err)}
	}
	target, err := parseTarget(value)
	if err != nil {
		return Target{}, &InvalidQueryError{err}
	}
	return target, nil
}

func parseTarget(value any) (Target, error) {
	object, ok := value.(map[string]any)
	if !ok {
		return Target{}, invalid(nil, "expected a query object")
	}
	target := Target{}
	target.RefID, _ = object["refId"].(string)
	target.Hide, _ = object["hide"].(bool)
	version, versioned := object["version"]
	if !versioned {
		return migrateV1(object, target)
	}
	if version != float64(2) {
		return Target{}, invalid([]string{"version"}, "expected 2 (or none, for a query saved before versions)")
	}
	query, present := object["cubeQuery"]
	if !present {
		return Target{}, invalid([]string{"cubeQuery"}, "expected the Cube query of a version 2 target")
	}
	if err := ValidateQuery(query, "cubeQuery"); err != nil {
		return Target{}, err
	}
	target.Query = query.(map[string]any)
	var err error
	if target.Format, err = optionalEnum(object, "format", formats, "auto"); err != nil {
		return Target{}, err
	}
	if target.Periods, err = optionalEnum(object, "periods", periods, "complete"); err != nil {
		return Target{}, err
	}
	return target, nil
}

func optionalEnum(object map[string]any, key string, allowed []string, fallback string) (string, error) {
	value, present := object[key]
	if !present || value == nil {
		return fallback, nil
	}
	text, ok := value.(string)
	if !ok || !contains(allowed, text) {
		return "", invalid([]string{key}, "expected one of %s", strings.Join(allowed, ", "))
	}
	return text, nil
}

// v1Model is contract/src/query-model.ts's queryModelSchema: unknown keys pass, as zod's object does.
type v1Model struct {
	Measures      []string
	Dimensions    []string
	Segments      []string
	TimeDimension *v1TimeDimension
	Filters       []v1Filter
	Order         []v1Order
	Limit         int
	Format        string
}

type v1TimeDimension struct{ Dimension, Granularity, DateRange string }
type v1Filter struct {
	Member, Operator string
	Values           []string
}
type v1Order struct{ Member, Direction string }

func stringList(object map[string]any, key string) ([]string, error) {
	value, present := object[key]
	if !present || value == nil {
		return nil, nil
	}
	list, ok := value.([]any)
	if !ok {
		return nil, invalid([]string{key}, "expected an array of strings")
	}
	out := make([]string, len(list))
	for i, item := range list {
		text, ok := item.(string)
		if !ok {
			return nil, invalid([]string{key, fmt.Sprint(i)}, "expected a string")
		}
		out[i] = text
	}
	return out, nil
}

func stringField(object map[string]any, path []string, key string, required bool) (string, error) {
	value, present := object[key]
	if !present || value == nil {
		if required {
			return "", invalid(at(path, key), "expected a string")
		}
		return "", nil
	}
	text, ok := value.(string)
	if !ok {
		return "", invalid(at(path, key), "expected a string")
	}
	return text, nil
}

func objectList(object map[string]any, key string) ([]map[string]any, error) {
	value, present := object[key]
	if !present || value == nil {
		return nil, nil
	}
	list, ok := value.([]any)
	if !ok {
		return nil, invalid([]string{key}, "expected an array")
	}
	out := make([]map[string]any, len(list))
	for i, item := range list {
		if out[i], ok = item.(map[string]any); !ok {
			return nil, invalid([]string{key, fmt.Sprint(i)}, "expected an object")
		}
	}
	return out, nil
}

func parseV1(object map[string]any) (v1Model, error) {
	var m v1Model
	var err error
	if m.Measures, err = stringList(object, "measures"); err != nil {
		return m, err
	}
	if m.Dimensions, err = stringList(object, "dimensions"); err != nil {
		return m, err
	}
	if m.Segments, err = stringList(object, "segments"); err != nil {
		return m, err
	}
	if td, present := object["timeDimension"]; present && td != nil {
		path := []string{"timeDimension"}
		tdObject, ok := td.(map[string]any)
		if !ok {
			return m, invalid(path, "expected an object")
		}
		m.TimeDimension = &v1TimeDimension{}
		if m.TimeDimension.Dimension, err = stringField(tdObject, path, "dimension", true); err != nil {
			return m, err
		}
		if g, present := tdObject["granularity"]; present && g != nil {
			if name, ok := g.(string); !ok || !contains(Granularities, name) {
				return m, invalid(at(path, "granularity"), "expected one of %s", strings.Join(Granularities, ", "))
			}
			m.TimeDimension.Granularity = g.(string)
		}
		if m.TimeDimension.DateRange, err = stringField(tdObject, path, "dateRange", false); err != nil {
			return m, err
		}
	}
	filters, err := objectList(object, "filters")
	if err != nil {
		return m, err
	}
	for i, f := range filters {
		path := []string{"filters", fmt.Sprint(i)}
		filter := v1Filter{}
		if filter.Member, err = stringField(f, path, "member", true); err != nil {
			return m, err
		}
		if op, ok := f["operator"].(string); !ok || !contains(FilterOperators, op) {
			return m, invalid(at(path, "operator"), "expected one of %s", strings.Join(FilterOperators, ", "))
		}
		filter.Operator = f["operator"].(string)
		if filter.Values, err = stringList(f, "values"); err != nil {
			return m, invalid(at(path, "values"), "expected an array of strings")
		}
		m.Filters = append(m.Filters, filter)
	}
	orders, err := objectList(object, "order")
	if err != nil {
		return m, err
	}
	for i, o := range orders {
		path := []string{"order", fmt.Sprint(i)}
		order := v1Order{}
		if order.Member, err = stringField(o, path, "member", true); err != nil {
			return m, err
		}
		if order.Direction, _ = o["direction"].(string); order.Direction != "asc" && order.Direction != "desc" {
			return m, invalid(at(path, "direction"), `expected "asc" or "desc"`)
		}
		m.Order = append(m.Order, order)
	}
	if limit, present := object["limit"]; present && limit != nil {
		n, ok := limit.(float64)
		if !ok || n != float64(int(n)) || n <= 0 {
			return m, invalid([]string{"limit"}, "expected a positive integer")
		}
		m.Limit = int(n)
	}
	m.Format, err = optionalEnum(object, "format", formats, "auto")
	return m, err
}

// migrateV1 builds the Cube query of a version 1 model exactly as plugin/src/datasource/
// buildCubeQuery.ts does without a range: incomplete rows (a filter without a member or values)
// are left out, so a half-edited query still runs.
func migrateV1(object map[string]any, target Target) (Target, error) {
	m, err := parseV1(object)
	if err != nil {
		return Target{}, err
	}
	query := Query{"timezone": "UTC"}
	nonEmpty := func(members []string) []any {
		var out []any
		for _, member := range members {
			if strings.TrimSpace(member) != "" {
				out = append(out, member)
			}
		}
		return out
	}
	for key, members := range map[string][]string{"measures": m.Measures, "dimensions": m.Dimensions, "segments": m.Segments} {
		if list := nonEmpty(members); len(list) > 0 {
			query[key] = list
		}
	}
	if m.TimeDimension != nil && m.TimeDimension.Dimension != "" {
		td := map[string]any{"dimension": m.TimeDimension.Dimension}
		if m.TimeDimension.Granularity != "" {
			td["granularity"] = m.TimeDimension.Granularity
		}
		if r := strings.TrimSpace(m.TimeDimension.DateRange); r != "" {
			td["dateRange"] = r
		}
		query["timeDimensions"] = []any{td}
	}
	var filters []any
	for _, f := range m.Filters {
		if filter, complete := v1CubeFilter(f); complete {
			filters = append(filters, filter)
		}
	}
	if len(filters) > 0 {
		query["filters"] = filters
	}
	var order []any
	for _, o := range m.Order {
		if o.Member != "" {
			order = append(order, []any{o.Member, o.Direction})
		}
	}
	if len(order) > 0 {
		query["order"] = order
	}
	if m.Limit > 0 {
		query["limit"] = float64(m.Limit)
	}
	if err := ValidateQuery(query); err != nil {
		return Target{}, err
	}
	target.Query = query
	target.Format = m.Format
	target.Periods = "complete"
	return target, nil
}

func v1CubeFilter(f v1Filter) (map[string]any, bool) {
	if f.Member == "" {
		return nil, false
	}
	if contains(unaryOperators, f.Operator) {
		return map[string]any{"member": f.Member, "operator": f.Operator}, true
	}
	values := []any{}
	for _, v := range f.Values {
		if v != "" {
			values = append(values, v)
		}
	}
	complete := len(values) > 0
	if contains(rangeOperators, f.Operator) {
		complete = len(values) == 2
	}
	return map[string]any{"member": f.Member, "operator": f.Operator, "values": values}, complete
}

// HasContent says whether the query asks for anything; an empty panel sends nothing to Cube.
func (t Target) HasContent() bool {
	for _, key := range []string{"measures", "dimensions", "timeDimensions"} {
		if list, ok := t.Query[key].([]any); ok && len(list) > 0 {
			return true
		}
	}
	return false
}

// Granularity is the granularity of the first time dimension that has one ("" when none has).
func Granularity(query Query) string {
	list, _ := query["timeDimensions"].([]any)
	for _, item := range list {
		if td, ok := item.(map[string]any); ok {
			if g, ok := td["granularity"].(string); ok && g != "" {
				return g
			}
		}
	}
	return ""
}

// ResolvedFormat is the saved format with "auto" decided: a time series when some time dimension has a granularity.
func (t Target) ResolvedFormat() string {
	if t.Format != "auto" {
		return t.Format
	}
	if Granularity(t.Query) != "" {
		return "time_series"
	}
	return "table"
}

// Runnable is the query QueryData sends for the target: every time dimension that names no
// range of its own gets the dashboard range, widened to whole periods of its granularity and,
// with periods "complete", ended at the last period that has completely ended before now;
// an absent timezone is UTC; filters on variables nobody replaced are left out (variables.go),
// and returned for the panel's notice.
func (t Target) Runnable(r TimeRange, now time.Time) (Query, []DroppedFilter) {
	concrete, dropped := DropUnreplacedVariables(t.Query)
	query := make(Query, len(concrete)+1)
	for key, value := range concrete {
		query[key] = value
	}
	if _, present := query["timezone"]; !present {
		query["timezone"] = "UTC"
	}
	list, _ := query["timeDimensions"].([]any)
	if len(list) == 0 {
		return query, dropped
	}
	dimensions := make([]any, len(list))
	for i, item := range list {
		dimensions[i] = item
		td := item.(map[string]any)
		_, hasRange := td["dateRange"]
		_, hasCompare := td["compareDateRange"]
		if hasRange || hasCompare {
			continue
		}
		granularity, _ := td["granularity"].(string)
		bounds := WholePeriods(r, granularity)
		if t.Periods == "complete" && granularity != "" {
			bounds = CompletePeriods(r, granularity, now)
		}
		ranged := make(map[string]any, len(td)+1)
		for key, value := range td {
			ranged[key] = value
		}
		ranged["dateRange"] = []any{CubeDateTime(bounds.From), CubeDateTime(bounds.To)}
		dimensions[i] = ranged
	}
	query["timeDimensions"] = dimensions
	return query, dropped
}
