// Package cube is the data source's knowledge of Cube 0.35: the REST query and its validation,
// the saved panel target and its migration, the dashboard range, the HTTP client and the frames.
package cube

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	// Embedded zone database: time zone names validate the same on every OS Grafana runs on.
	_ "time/tzdata"
)

// Query is a Cube REST query as parsed JSON. It stays generic so that what a panel stored
// reaches Cube unchanged (order as an object or as pairs, values as strings or numbers).
type Query = map[string]any

// Granularities Cube 0.35 knows, finest first.
var Granularities = []string{"second", "minute", "hour", "day", "week", "month", "quarter", "year"}

// FilterOperators are Cube 0.35's filter operators (contract/src/cube-query.ts filterOperators).
var FilterOperators = []string{
	"equals", "notEquals", "contains", "notContains", "startsWith", "notStartsWith", "endsWith", "notEndsWith",
	"in", "notIn", "gt", "gte", "lt", "lte", "set", "notSet",
	"inDateRange", "notInDateRange", "onTheDate", "beforeDate", "beforeOrOnDate", "afterDate", "afterOrOnDate",
	"measureFilter",
}

var (
	memberPattern          = regexp.MustCompile(`^[a-zA-Z0-9_]+\.[a-zA-Z0-9_]+$`)
	memberWithGranularity  = regexp.MustCompile(`^[a-zA-Z0-9_]+\.[a-zA-Z0-9_]+(\.(` + strings.Join(Granularities, "|") + `))?$`)
	isoDateTime            = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$`)
	zoneName               = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$`)
	errMemberName          = `expected a member name such as "customers.count"`
	errDimensionName       = `expected a dimension name such as "customers.plan" (or "customers.signup_at.month")`
	errDateRange           = `expected ["YYYY-MM-DD", "YYYY-MM-DD"] (a time may follow each date) or a relative range such as "last 7 days"`
	errDate                = `expected a date "YYYY-MM-DD", optionally with a time "THH:MM:SS"`
	errFilterValue         = "expected a string, number, boolean or null"
	errQueryObject         = `expected a query object { "measures": […], "dimensions": […], … }`
	errTimeDimensionObject = `expected a time dimension { "dimension": "cube.time", "granularity": …, "dateRange": … }`
	errFilterObject        = `expected a filter { "member": …, "operator": …, "values": […] } or a group { "or": […] } / { "and": […] }`
	errOrder               = `expected { "member": "asc" | "desc" } or [["member", "asc" | "desc"], …]`
)

// ValidationError names the field that is wrong, as the TypeScript side does ("filters.0.member: …").
type ValidationError struct {
	Path    []string
	Message string
}

func (e *ValidationError) Error() string {
	path := strings.Join(e.Path, ".")
	if path == "" {
		path = "(root)"
	}
	return path + ": " + e.Message
}

func invalid(path []string, format string, args ...any) error {
	return &ValidationError{Path: append([]string(nil), path...), Message: fmt.Sprintf(format, args...)}
}

func at(path []string, key any) []string {
	next := append(append([]string(nil), path...), fmt.Sprint(key))
	return next
}

// IsISODate says whether a calendar date (optionally with a time) exists: 2026-02-30 and 24:61 do not.
func IsISODate(value string) bool {
	match := isoDateTime.FindStringSubmatch(value)
	if match == nil {
		return false
	}
	part := func(i int) int {
		if match[i] == "" {
			return 0
		}
		n, _ := strconv.Atoi(match[i])
		return n
	}
	year, month, day := part(1), part(2), part(3)
	date := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return date.Year() == year && int(date.Month()) == month && date.Day() == day && part(4) < 24 && part(5) < 60 && part(6) < 60
}

// IsTimeZoneName says whether an IANA zone name is known ("UTC", "America/New_York").
func IsTimeZoneName(value string) bool {
	if !zoneName.MatchString(value) {
		return false
	}
	_, err := time.LoadLocation(value)
	return err == nil
}

func contains(list []string, value string) bool {
	for _, item := range list {
		if item == value {
			return true
		}
	}
	return false
}

// strictKeys refuses keys a schema does not declare in zod's strictObject's words, which name the key.
func strictKeys(object map[string]any, path []string, allowed ...string) error {
	for key := range object {
		if !contains(allowed, key) {
			return invalid(path, "Unrecognized key: %q", key)
		}
	}
	return nil
}

func asObject(value any, path []string, message string) (map[string]any, error) {
	object, ok := value.(map[string]any)
	if !ok {
		return nil, invalid(path, "%s", message)
	}
	return object, nil
}

func asArray(value any, path []string, what string) ([]any, error) {
	list, ok := value.([]any)
	if !ok {
		return nil, invalid(path, "expected an array of %s", what)
	}
	return list, nil
}

func validateMembers(value any, path []string, pattern *regexp.Regexp, message string) error {
	list, err := asArray(value, path, "member names")
	if err != nil {
		return err
	}
	for i, item := range list {
		name, ok := item.(string)
		if !ok || !pattern.MatchString(name) {
			return invalid(at(path, i), "%s", message)
		}
	}
	return nil
}

func validateMember(value any, path []string) error {
	name, ok := value.(string)
	if !ok || !memberPattern.MatchString(name) {
		return invalid(path, "%s", errMemberName)
	}
	return nil
}

func validateDateRange(value any, path []string) error {
	switch v := value.(type) {
	case string:
		if v == "" {
			return invalid(path, `expected a relative range such as "last 7 days"`)
		}
		return nil
	case []any:
		if len(v) < 1 || len(v) > 2 {
			return invalid(path, "%s", errDateRange)
		}
		for i, item := range v {
			date, ok := item.(string)
			if !ok {
				return invalid(path, "%s", errDateRange)
			}
			if !IsISODate(date) {
				return invalid(at(path, i), "%s", errDate)
			}
		}
		return nil
	default:
		return invalid(path, "%s", errDateRange)
	}
}

func validateTimeDimension(value any, path []string) error {
	td, err := asObject(value, path, errTimeDimensionObject)
	if err != nil {
		return err
	}
	if err := strictKeys(td, path, "dimension", "granularity", "dateRange", "compareDateRange"); err != nil {
		return err
	}
	if err := validateMember(td["dimension"], at(path, "dimension")); err != nil {
		return err
	}
	if g, present := td["granularity"]; present && g != nil {
		if name, ok := g.(string); !ok || !contains(Granularities, name) {
			return invalid(at(path, "granularity"), "expected one of %s", strings.Join(Granularities, ", "))
		}
	}
	if r, present := td["dateRange"]; present {
		if err := validateDateRange(r, at(path, "dateRange")); err != nil {
			return err
		}
	}
	if c, present := td["compareDateRange"]; present {
		ranges, ok := c.([]any)
		if !ok {
			return invalid(at(path, "compareDateRange"), "expected an array of date ranges")
		}
		if len(ranges) == 0 {
			return invalid(at(path, "compareDateRange"), "expected at least one date range")
		}
		for i, r := range ranges {
			if err := validateDateRange(r, at(at(path, "compareDateRange"), i)); err != nil {
				return err
			}
		}
	}
	_, hasRange := td["dateRange"]
	_, hasCompare := td["compareDateRange"]
	if hasRange && hasCompare {
		return invalid(path, "give either dateRange or compareDateRange, not both")
	}
	return nil
}

// validateFilter checks a filter or a group; the keys decide which ("or"/"and" make a group),
// so a mistake is reported against the form the author meant.
func validateFilter(value any, path []string) error {
	object, err := asObject(value, path, errFilterObject)
	if err != nil {
		return err
	}
	_, hasOr := object["or"]
	_, hasAnd := object["and"]
	if hasOr || hasAnd {
		if err := strictKeys(object, path, "or", "and"); err != nil {
			return err
		}
		for _, key := range []string{"or", "and"} {
			if group, present := object[key]; present {
				list, ok := group.([]any)
				if !ok {
					return invalid(at(path, key), "expected an array of filters")
				}
				for i, item := range list {
					if err := validateFilter(item, at(at(path, key), i)); err != nil {
						return err
					}
				}
			}
		}
		if hasOr == hasAnd {
			return invalid(path, `a filter group has exactly one of "or" or "and"`)
		}
		return nil
	}
	if err := strictKeys(object, path, "member", "dimension", "operator", "values"); err != nil {
		return err
	}
	for _, key := range []string{"member", "dimension"} {
		if name, present := object[key]; present {
			if err := validateMember(name, at(path, key)); err != nil {
				return err
			}
		}
	}
	operator, ok := object["operator"].(string)
	if !ok || !contains(FilterOperators, operator) {
		return invalid(at(path, "operator"), "expected one of %s", strings.Join(FilterOperators, ", "))
	}
	if values, present := object["values"]; present {
		list, ok := values.([]any)
		if !ok {
			return invalid(at(path, "values"), "expected an array of values")
		}
		for i, item := range list {
			switch item.(type) {
			case string, float64, bool, nil:
			default:
				return invalid(at(at(path, "values"), i), "%s", errFilterValue)
			}
		}
	}
	_, hasMember := object["member"]
	_, hasDimension := object["dimension"]
	if hasMember == hasDimension {
		return invalid(path, `give exactly one of "member" or "dimension"`)
	}
	return nil
}

// validateOrder: an object of directions or a list of pairs; any mistake is reported as the
// whole field's, as zod reports a union.
func validateOrder(value any, path []string) error {
	direction := func(v any) bool { return v == "asc" || v == "desc" }
	switch order := value.(type) {
	case map[string]any:
		for member, dir := range order {
			if !memberPattern.MatchString(member) || !direction(dir) {
				return invalid(path, "%s", errOrder)
			}
		}
		return nil
	case []any:
		for _, item := range order {
			pair, ok := item.([]any)
			if !ok || len(pair) != 2 || validateMember(pair[0], nil) != nil || !direction(pair[1]) {
				return invalid(path, "%s", errOrder)
			}
		}
		return nil
	}
	return invalid(path, "%s", errOrder)
}

func validateCount(value any, path []string) error {
	n, ok := value.(float64)
	if !ok || n != math.Trunc(n) || math.IsInf(n, 0) {
		return invalid(path, "expected an integer")
	}
	if n < 0 {
		return invalid(path, "expected a number >= 0")
	}
	return nil
}

// ValidateQuery checks a Cube 0.35 REST query as contract/src/cube-query.ts's cubeQuerySchema
// does: member names only, every object closed to unknown keys. path prefixes the field named
// in the error (e.g. "cubeQuery").
func ValidateQuery(value any, path ...string) error {
	query, err := asObject(value, path, errQueryObject)
	if err != nil {
		return err
	}
	if err := strictKeys(query, path, "measures", "dimensions", "segments", "timeDimensions", "filters", "order",
		"limit", "offset", "total", "ungrouped", "renewQuery", "responseFormat", "timezone"); err != nil {
		return err
	}
	checks := []struct {
		key   string
		check func(any, []string) error
	}{
		{"measures", func(v any, p []string) error { return validateMembers(v, p, memberPattern, errMemberName) }},
		{"dimensions", func(v any, p []string) error { return validateMembers(v, p, memberWithGranularity, errDimensionName) }},
		{"segments", func(v any, p []string) error { return validateMembers(v, p, memberPattern, errMemberName) }},
		{"timeDimensions", func(v any, p []string) error { return eachItem(v, p, "time dimensions", validateTimeDimension) }},
		{"filters", func(v any, p []string) error { return eachItem(v, p, "filters", validateFilter) }},
		{"order", validateOrder},
		{"limit", validateCount},
		{"offset", validateCount},
		{"total", validateBool},
		{"ungrouped", validateBool},
		{"renewQuery", validateBool},
		{"responseFormat", func(v any, p []string) error {
			if v != "default" && v != "compact" {
				return invalid(p, `expected "default" or "compact"`)
			}
			return nil
		}},
		{"timezone", func(v any, p []string) error {
			if name, ok := v.(string); !ok || !IsTimeZoneName(name) {
				return invalid(p, `expected an IANA time zone name such as "UTC" or "America/New_York"`)
			}
			return nil
		}},
	}
	for _, c := range checks {
		if v, present := query[c.key]; present {
			if err := c.check(v, at(path, c.key)); err != nil {
				return err
			}
		}
	}
	return nil
}

func eachItem(value any, path []string, what string, check func(any, []string) error) error {
	list, err := asArray(value, path, what)
	if err != nil {
		return err
	}
	for i, item := range list {
		if err := check(item, at(path, i)); err != nil {
			return err
		}
	}
	return nil
}

func validateBool(value any, path []string) error {
	if _, ok := value.(bool); !ok {
		return invalid(path, "expected true or false")
	}
	return nil
}
