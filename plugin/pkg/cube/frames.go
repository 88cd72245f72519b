package cube

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// LoadAnswer is Cube's /v1/load answer (contract/src/cube-load.ts loadResponseSchema).
type LoadAnswer struct {
	Data       Rows `json:"data"`
	Annotation struct {
		Measures       map[string]annotation `json:"measures"`
		Dimensions     map[string]annotation `json:"dimensions"`
		TimeDimensions map[string]annotation `json:"timeDimensions"`
	} `json:"annotation"`
}

// Rows are an answer's rows, keyed by member. A query with responseFormat "compact" gets
// {"members": […], "dataset": [[…], …]} instead, which reads into the same rows.
type Rows []map[string]any

// UnmarshalJSON reads either form.
func (r *Rows) UnmarshalJSON(raw []byte) error {
	var rows []map[string]any
	if err := json.Unmarshal(raw, &rows); err == nil {
		*r = rows
		return nil
	}
	var compact struct {
		Members []string `json:"members"`
		Dataset [][]any  `json:"dataset"`
	}
	if err := json.Unmarshal(raw, &compact); err != nil || compact.Members == nil {
		return fmt.Errorf("data: expected an array of rows or {members, dataset}")
	}
	*r = make(Rows, len(compact.Dataset))
	for i, values := range compact.Dataset {
		row := make(map[string]any, len(compact.Members))
		for j, member := range compact.Members {
			if j < len(values) {
				row[member] = values[j]
			}
		}
		(*r)[i] = row
	}
	return nil
}

type annotation struct {
	Title       *string `json:"title"`
	ShortTitle  *string `json:"shortTitle"`
	Description string  `json:"description"`
	Type        string  `json:"type"`
	Format      any     `json:"format"`
	Meta        any     `json:"meta"`
}

type column struct {
	// key is the member's key in Cube's rows, e.g. "web_engagement.started_at.month".
	key    string
	member Member
}

// FrameOptions says how to shape the answer.
type FrameOptions struct {
	RefID string
	// Format is "time_series" (one frame per combination of dimension values) or "table".
	Format string
	// Currency is the ISO code currency measures are shown in ("" is USD).
	Currency string
}

// Frames turns a /v1/load answer into data frames exactly as plugin/src/datasource/
// toDataFrames.ts does: columns follow the query (time, dimensions, measures), and each
// measure's field config comes from its meta in the answer's annotation, so any Grafana panel
// colours it by its benchmark.
//
// A compareDateRange query's answer has one result per range: each gives its frames, named and
// titled with its range ("2025-01-01 – 2025-01-31") so the panel tells them apart.
func Frames(body []byte, query Query, options FrameOptions) (data.Frames, error) {
	var multi struct {
		Results []json.RawMessage `json:"results"`
	}
	if json.Unmarshal(body, &multi) == nil && multi.Results != nil {
		var all data.Frames
		for _, result := range multi.Results {
			frames, err := resultFrames(result, query, options)
			if err != nil {
				return nil, err
			}
			if label := rangeLabel(result); label != "" && len(multi.Results) > 1 {
				for _, frame := range frames {
					frame.Name += " " + label
					for _, field := range frame.Fields {
						if field.Config.Custom["member"] != nil {
							field.Config.DisplayNameFromDS += " (" + label + ")"
						}
					}
				}
			}
			all = append(all, frames...)
		}
		return all, nil
	}
	return resultFrames(body, query, options)
}

// rangeLabel is the date range a compareDateRange result is for, from the query Cube echoes.
func rangeLabel(result []byte) string {
	var echoed struct {
		Query struct {
			TimeDimensions []struct {
				DateRange []string `json:"dateRange"`
			} `json:"timeDimensions"`
		} `json:"query"`
	}
	if json.Unmarshal(result, &echoed) != nil {
		return ""
	}
	for _, td := range echoed.Query.TimeDimensions {
		if len(td.DateRange) == 2 {
			day := func(s string) string { return s[:min(10, len(s))] }
			return day(td.DateRange[0]) + " – " + day(td.DateRange[1])
		}
	}
	return ""
}

func resultFrames(body []byte, query Query, options FrameOptions) (data.Frames, error) {
	var answer LoadAnswer
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, fmt.Errorf("Unexpected /v1/load answer from Cube: %w", err)
	}
	if answer.Data == nil {
		return nil, fmt.Errorf("Unexpected /v1/load answer from Cube: it has no data")
	}
	col := func(key, name, kind string, group map[string]annotation) column {
		a, found := group[key]
		if !found {
			a, found = group[name]
		}
		m := Member{Name: name, Kind: kind, Title: name, Type: a.Type, Description: a.Description, Currency: options.Currency}
		if a.ShortTitle != nil {
			m.Title = *a.ShortTitle
		} else if a.Title != nil {
			m.Title = *a.Title
		}
		if !found || a.Type == "" {
			m.Type = "string"
			if kind == "timeDimension" {
				m.Type = "time"
			}
		}
		m.Format, _ = a.Format.(string)
		if kind == "measure" {
			m.Benchmark, _ = BenchmarkOf(name, a.Meta)
			// As plugin/src/datasource/meta.ts benchmarkOf: needs only from a KPI meta that reads.
			if m.Benchmark != nil {
				m.Needs = needsOf(a.Meta)
			}
		}
		return column{key: key, member: m}
	}

	var timeColumn *column
	if list, ok := query["timeDimensions"].([]any); ok {
		for _, item := range list {
			td, _ := item.(map[string]any)
			if g, _ := td["granularity"].(string); g != "" {
				name, _ := td["dimension"].(string)
				c := col(name+"."+g, name, "timeDimension", answer.Annotation.TimeDimensions)
				timeColumn = &c
				break
			}
		}
	}
	var dimensions, measures []column
	for _, name := range memberList(query, "dimensions") {
		dimensions = append(dimensions, col(name, name, "dimension", answer.Annotation.Dimensions))
	}
	for _, name := range memberList(query, "measures") {
		measures = append(measures, col(name, name, "measure", answer.Annotation.Measures))
	}

	if options.Format == "time_series" && timeColumn != nil {
		return timeSeriesFrames(answer.Data, *timeColumn, dimensions, measures, options.RefID), nil
	}
	var columns []column
	if timeColumn != nil {
		columns = append(columns, *timeColumn)
	}
	columns = append(append(columns, dimensions...), measures...)
	frame := data.NewFrame(options.RefID)
	frame.RefID = options.RefID
	for _, c := range columns {
		frame.Fields = append(frame.Fields, toField(c, answer.Data))
	}
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	return data.Frames{frame}, nil
}

func memberList(query Query, key string) []string {
	list, _ := query[key].([]any)
	names := make([]string, 0, len(list))
	for _, item := range list {
		if name, ok := item.(string); ok {
			names = append(names, name)
		}
	}
	return names
}

func timeSeriesFrames(rows []map[string]any, timeColumn column, dimensions, measures []column, refID string) data.Frames {
	type group struct{ rows []map[string]any }
	var order []string
	groups := map[string]*group{}
	for _, row := range rows {
		values := make([]any, len(dimensions))
		for i, d := range dimensions {
			values[i] = row[d.key]
		}
		encoded, _ := json.Marshal(values)
		key := string(encoded)
		if groups[key] == nil {
			groups[key] = &group{}
			order = append(order, key)
		}
		groups[key].rows = append(groups[key].rows, row)
	}
	if len(order) == 0 {
		order = append(order, "[]")
		groups["[]"] = &group{}
	}
	frames := make(data.Frames, 0, len(order))
	for _, key := range order {
		groupRows := groups[key].rows
		labels := data.Labels{}
		parts := make([]string, len(dimensions))
		for i, d := range dimensions {
			text := ""
			if len(groupRows) > 0 && groupRows[0][d.key] != nil {
				text = JSString(groupRows[0][d.key])
			}
			labels[d.key] = text
			parts[i] = text
		}
		suffix := strings.Join(parts, " ")
		name := suffix
		if name == "" {
			name = refID
		}
		frame := data.NewFrame(name, toField(timeColumn, groupRows))
		frame.RefID = refID
		for _, m := range measures {
			field := toField(m, groupRows)
			if len(dimensions) > 0 {
				field.Labels = labels
				field.Config.DisplayNameFromDS = m.member.Title + " " + suffix
			}
			frame.Fields = append(frame.Fields, field)
		}
		frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
		frames = append(frames, frame)
	}
	return frames
}

var numberTypes = map[string]bool{
	"number": true, "count": true, "count_distinct": true, "count_distinct_approx": true, "countDistinct": true,
	"countDistinctApprox": true, "sum": true, "avg": true, "min": true, "max": true, "runningTotal": true,
}

func toField(c column, rows []map[string]any) *data.Field {
	var field *data.Field
	switch {
	case c.member.Type == "time":
		values := make([]*time.Time, len(rows))
		for i, row := range rows {
			values[i] = toTime(row[c.key])
		}
		field = data.NewField(c.member.Name, nil, values)
	case c.member.Type == "boolean":
		values := make([]*bool, len(rows))
		for i, row := range rows {
			values[i] = toBool(row[c.key])
		}
		field = data.NewField(c.member.Name, nil, values)
	case numberTypes[c.member.Type]:
		values := make([]*float64, len(rows))
		for i, row := range rows {
			values[i] = toNumber(row[c.key])
		}
		field = data.NewField(c.member.Name, nil, values)
	default:
		values := make([]*string, len(rows))
		for i, row := range rows {
			if row[c.key] != nil {
				text := JSString(row[c.key])
				values[i] = &text
			}
		}
		field = data.NewField(c.member.Name, nil, values)
	}
	if c.member.Kind == "measure" {
		field.Config = FieldConfigOf(c.member)
	} else {
		field.Config = &data.FieldConfig{DisplayNameFromDS: c.member.Title, Description: c.member.Description}
	}
	return field
}

// Cube sends numbers as strings or numbers depending on the driver: read them as JavaScript's Number() does.
func toNumber(value any) *float64 {
	var n float64
	switch v := value.(type) {
	case nil:
		return nil
	case float64:
		n = v
	case bool:
		if v {
			n = 1
		}
	case string:
		text := strings.TrimSpace(v)
		if text != "" {
			parsed, err := strconv.ParseFloat(text, 64)
			if err != nil {
				return nil
			}
			n = parsed
		}
	default:
		return nil
	}
	if math.IsNaN(n) {
		return nil
	}
	return &n
}

var hasZone = regexp.MustCompile(`[zZ]|[+-]\d\d:?\d\d$`)

// toTime reads Cube's times, which come without a zone and are UTC.
func toTime(value any) *time.Time {
	if value == nil {
		return nil
	}
	text := JSString(value)
	if !hasZone.MatchString(text) {
		text += "Z"
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04Z07:00", "2006-01-02Z07:00"} {
		if t, err := time.Parse(layout, text); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

func toBool(value any) *bool {
	if value == nil {
		return nil
	}
	b := value == true || value == "true" || value == float64(1) || value == "1"
	return &b
}

// JSString is JavaScript's String(value) for JSON values.
func JSString(value any) string {
	switch v := value.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	case []any:
		parts := make([]string, len(v))
		for i, item := range v {
			if item != nil {
				parts[i] = JSString(item)
			}
		}
		return strings.Join(parts, ",")
	default:
		return "[object Object]"
	}
}
