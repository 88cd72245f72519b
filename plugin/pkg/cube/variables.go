package cube

import (
	"regexp"
	"strings"
)

// An externally shared dashboard (and an alert rule) sends a panel's stored target as saved,
// without the frontend's applyTemplateVariables: a filter on "$segment" would reach Cube
// literally and match nothing. It is dropped, as Grafana's "All" is
// (contract/src/unreplaced-variables.ts, checked by contract/vectors/shared-dashboards.json).

// variableReference is a value that is only a template variable reference in one of Grafana's
// syntaxes ($segment, ${segment}, ${segment:csv}, ${segment.field}, [[segment]], [[segment:csv]]);
// a name starts with a letter or _, so amounts such as "$100" stay values.
var variableReference = regexp.MustCompile(`^(?:\$[A-Za-z_]\w*|\$\{[A-Za-z_]\w*(?:\.[^:}]+)?(?::[^}]+)?\}|\[\[[A-Za-z_]\w*(?::\w+)?\]\])$`)

// DroppedFilter is a filter left out because its values name a variable nobody replaced.
type DroppedFilter struct {
	Member string
	Value  string
}

// Notice is what a panel says about it.
func (f DroppedFilter) Notice() string {
	return "Filter on " + f.Member + " left out: its value " + f.Value +
		" is a dashboard variable that was not replaced (a shared dashboard or an alert rule sends none), so it counts as All."
}

// DropUnreplacedVariables is the query without the filters (inside AND/OR groups too) any of
// whose values is an unreplaced variable, and without groups left empty by that.
func DropUnreplacedVariables(query Query) (Query, []DroppedFilter) {
	filters, ok := query["filters"].([]any)
	if !ok {
		return query, nil
	}
	var dropped []DroppedFilter
	var keep func(list []any) []any
	keep = func(list []any) []any {
		kept := []any{}
		for _, item := range list {
			f, _ := item.(map[string]any)
			if _, isFilter := f["operator"]; !isFilter {
				key := "and"
				if _, or := f["or"]; or {
					key = "or"
				}
				inner, _ := f[key].([]any)
				if rest := keep(inner); len(rest) > 0 {
					kept = append(kept, map[string]any{key: rest})
				}
				continue
			}
			values, _ := f["values"].([]any)
			variable := ""
			for _, v := range values {
				if text, isText := v.(string); isText && variableReference.MatchString(strings.TrimSpace(text)) {
					variable = text
					break
				}
			}
			if variable == "" {
				kept = append(kept, f)
				continue
			}
			member, _ := f["member"].(string)
			if member == "" {
				member, _ = f["dimension"].(string)
			}
			dropped = append(dropped, DroppedFilter{Member: member, Value: variable})
		}
		return kept
	}
	kept := keep(filters)
	if len(dropped) == 0 {
		return query, nil
	}
	result := make(Query, len(query))
	for key, value := range query {
		result[key] = value
	}
	if len(kept) > 0 {
		result["filters"] = kept
	} else {
		delete(result, "filters")
	}
	return result, dropped
}
