package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/engagement-metrics/engagement-grafana-app/pkg/cube"
)

// requestError is a resource request that is wrong; its text names the field.
type requestError struct{ message string }

func (e *requestError) Error() string { return e.message }

func badRequest(format string, args ...any) error {
	return &requestError{fmt.Sprintf(format, args...)}
}

// rangeBody is {from, to} as ISO times, as the frontend sends the dashboard range.
type rangeBody struct {
	From string `json:"from"`
	To   string `json:"to"`
}

func (r *rangeBody) parse(field string) (cube.TimeRange, error) {
	from, errFrom := time.Parse(time.RFC3339Nano, r.From)
	to, errTo := time.Parse(time.RFC3339Nano, r.To)
	if errFrom != nil || errTo != nil {
		return cube.TimeRange{}, badRequest("%s: expected {\"from\": ISO time, \"to\": ISO time}, got %q and %q", field, r.From, r.To)
	}
	return cube.TimeRange{From: from, To: to}, nil
}

type sqlBody struct {
	Target json.RawMessage `json:"target"`
	Range  *rangeBody      `json:"range"`
}

type valuesBody struct {
	Dimension     string     `json:"dimension"`
	Range         *rangeBody `json:"range"`
	TimeDimension string     `json:"timeDimension"`
	Filters       []any      `json:"filters"`
	Limit         *float64   `json:"limit"`
}

// CallResource serves the frontend's getResource/postResource: GET meta, POST sql, POST values.
// Errors answer {"message"} with Cube's status (or 400 naming the field).
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	answer, err := d.resource(ctx, req)
	if err != nil {
		return sendJSON(sender, statusOf(err), map[string]string{"message": err.Error()})
	}
	return sender.Send(&backend.CallResourceResponse{
		Status:  http.StatusOK,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    answer,
	})
}

func sendJSON(sender backend.CallResourceResponseSender, status int, value any) error {
	body, err := json.Marshal(value)
	if err != nil {
		return err
	}
	return sender.Send(&backend.CallResourceResponse{
		Status:  status,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    body,
	})
}

func (d *Datasource) resource(ctx context.Context, req *backend.CallResourceRequest) ([]byte, error) {
	if d.settings.CubeURL == "" {
		return nil, badRequest(msgNoURL)
	}
	route := req.Method + " " + req.Path
	switch route {
	case "GET meta":
		return d.client.Meta(ctx)
	case "POST sql":
		return d.sql(ctx, req.Body)
	case "POST values":
		return d.values(ctx, req.Body)
	}
	return nil, &cube.Error{Status: http.StatusNotFound, Message: fmt.Sprintf("no resource %s (there are GET meta, POST sql, POST values)", route)}
}

// sql answers the SQL of exactly the query QueryData would send for the target and range.
func (d *Datasource) sql(ctx context.Context, raw []byte) ([]byte, error) {
	var body sqlBody
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, badRequest("body: expected {\"target\": …, \"range\": {\"from\", \"to\"}}: %v", err)
	}
	if len(body.Target) == 0 {
		return nil, badRequest("target: expected the panel's saved query")
	}
	target, err := cube.ParseTarget(body.Target)
	if err != nil {
		return nil, err
	}
	if body.Range == nil {
		return nil, badRequest("range: expected {\"from\": ISO time, \"to\": ISO time}")
	}
	r, err := body.Range.parse("range")
	if err != nil {
		return nil, err
	}
	query, _ := target.Runnable(r, d.now())
	answer, err := d.client.SQL(ctx, query)
	if err != nil {
		return nil, err
	}
	statements, err := sqlStatements(answer)
	if err != nil {
		return nil, err
	}
	reply := map[string]any{"cubeQuery": query, "sql": statements[0].SQL, "params": statements[0].Params}
	if len(statements) > 1 {
		// A compareDateRange query is one statement per range; the first answers sql/params.
		reply["others"] = statements[1:]
	}
	return json.Marshal(reply)
}

type sqlStatement struct {
	SQL    json.RawMessage `json:"sql"`
	Params json.RawMessage `json:"params"`
}

// sqlStatements reads /v1/sql's answer: {"sql": {"sql": [text, params]}}, or a list of them
// for a compareDateRange query.
func sqlStatements(answer []byte) ([]sqlStatement, error) {
	type one struct {
		SQL struct {
			SQL []json.RawMessage `json:"sql"`
		} `json:"sql"`
	}
	var list []one
	var single one
	if json.Unmarshal(answer, &single) == nil && single.SQL.SQL != nil {
		list = []one{single}
	} else if json.Unmarshal(answer, &list) != nil {
		list = nil
	}
	statements := make([]sqlStatement, 0, len(list))
	for _, item := range list {
		if len(item.SQL.SQL) != 2 {
			return nil, &cube.Error{Status: http.StatusBadGateway, Message: "Unexpected /v1/sql answer from Cube"}
		}
		statements = append(statements, sqlStatement{SQL: item.SQL.SQL[0], Params: item.SQL.SQL[1]})
	}
	if len(statements) == 0 {
		return nil, &cube.Error{Status: http.StatusBadGateway, Message: "Unexpected /v1/sql answer from Cube"}
	}
	return statements, nil
}

// values lists a dimension's distinct values (variables, ad-hoc filter values), scoped by the
// range on timeDimension and by the other filters.
func (d *Datasource) values(ctx context.Context, raw []byte) ([]byte, error) {
	var body valuesBody
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, badRequest("body: expected {\"dimension\": …, \"range\"?, \"timeDimension\"?, \"filters\"?, \"limit\"?}: %v", err)
	}
	if body.Dimension == "" {
		return nil, badRequest("dimension: choose a dimension to list values of")
	}
	limit := 1000.0
	if body.Limit != nil {
		limit = *body.Limit
	}
	query := cube.Query{
		"dimensions": []any{body.Dimension},
		"limit":      limit,
		"order":      []any{[]any{body.Dimension, "asc"}},
		"timezone":   "UTC",
	}
	if len(body.Filters) > 0 {
		query["filters"] = body.Filters
	}
	if body.Range != nil && body.TimeDimension != "" {
		r, err := body.Range.parse("range")
		if err != nil {
			return nil, err
		}
		whole := cube.WholePeriods(r, "day")
		query["timeDimensions"] = []any{map[string]any{
			"dimension": body.TimeDimension,
			"dateRange": []any{cube.CubeDateTime(whole.From), cube.CubeDateTime(whole.To)},
		}}
	}
	if err := roundTrip(&query); err != nil {
		return nil, err
	}
	if err := cube.ValidateQuery(query); err != nil {
		return nil, badRequest("%s", err.Error())
	}
	answer, err := d.client.Load(ctx, query)
	if err != nil {
		return nil, err
	}
	var loaded cube.LoadAnswer
	if err := json.Unmarshal(answer, &loaded); err != nil {
		return nil, &cube.Error{Status: http.StatusBadGateway, Message: "Unexpected /v1/load answer from Cube"}
	}
	values := []string{}
	seen := map[string]bool{}
	for _, row := range loaded.Data {
		value, present := row[body.Dimension]
		if !present || value == nil {
			continue
		}
		text := cube.JSString(value)
		if !seen[text] {
			seen[text] = true
			values = append(values, text)
		}
	}
	return json.Marshal(map[string]any{"values": values})
}

// roundTrip makes a query built here generic JSON, as validation and a saved query expect.
func roundTrip(query *cube.Query) error {
	encoded, err := json.Marshal(*query)
	if err != nil {
		return err
	}
	*query = cube.Query{}
	return json.Unmarshal(encoded, query)
}
