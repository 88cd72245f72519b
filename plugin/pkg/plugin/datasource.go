// Package plugin is the Cube data source's Grafana backend: QueryData, CheckHealth and CallResource.
package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/engagement-metrics/engagement-grafana-app/pkg/cube"
)

// PluginID is the nested data source's id (plugin/src/datasource/plugin.json).
const PluginID = "engagement-cube-datasource"

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Settings are the data source's: jsonData.cubeUrl and jsonData.currency, and the tenant's
// token from secureJsonData, which only this backend reads.
type Settings struct {
	CubeURL  string `json:"cubeUrl"`
	Currency string `json:"currency"`
	Token    string `json:"-"`
}

var currencyCode = regexp.MustCompile(`^[A-Za-z]{3}$`)

// ParseSettings reads an instance's settings, naming what is wrong.
func ParseSettings(instance backend.DataSourceInstanceSettings) (Settings, error) {
	var settings Settings
	if len(instance.JSONData) > 0 {
		if err := json.Unmarshal(instance.JSONData, &settings); err != nil {
			return Settings{}, fmt.Errorf("jsonData: %w", err)
		}
	}
	if settings.Currency != "" {
		if !currencyCode.MatchString(settings.Currency) {
			return Settings{}, fmt.Errorf(`jsonData.currency: expected an ISO 4217 code such as "EUR", got %q`, settings.Currency)
		}
		settings.Currency = strings.ToUpper(settings.Currency)
	}
	settings.Token = instance.DecryptedSecureJSONData["token"]
	return settings, nil
}

// Datasource is one configured Cube data source (one tenant's token).
type Datasource struct {
	settings Settings
	client   *cube.Client
	// now is the clock complete periods are judged by.
	now func() time.Time
	// subscriptions caches whether the token's tenant has any (nil: not known yet); a failed
	// check is not cached, so the next empty KPI asks again.
	subscriptionsMu sync.Mutex
	subscriptions   *bool
	// currency caches the tenant's currency from the model (nil: not known yet); a failed
	// lookup is not cached and falls back to jsonData.currency, then USD.
	currencyMu sync.Mutex
	currency   *string
}

// NewDatasource is the SDK's instance factory.
func NewDatasource(_ context.Context, instance backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	settings, err := ParseSettings(instance)
	if err != nil {
		return nil, err
	}
	return New(settings), nil
}

// New makes a data source from parsed settings.
func New(settings Settings) *Datasource {
	return &Datasource{settings: settings, client: cube.NewClient(settings.CubeURL, settings.Token), now: time.Now}
}

// Dispose is called when the settings change; the instance holds nothing to release.
func (d *Datasource) Dispose() {}

// QueryData runs each target on its own: one panel's error (in Cube's words) leaves the others' data alone.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	response := backend.NewQueryDataResponse()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, q := range req.Queries {
		wg.Add(1)
		go func(q backend.DataQuery) {
			defer wg.Done()
			result := d.query(ctx, q)
			mu.Lock()
			response.Responses[q.RefID] = result
			mu.Unlock()
		}(q)
	}
	wg.Wait()
	return response, nil
}

func (d *Datasource) query(ctx context.Context, q backend.DataQuery) backend.DataResponse {
	if d.settings.CubeURL == "" {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, msgNoURL)
	}
	target, err := cube.ParseTarget(q.JSON)
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, err.Error())
	}
	if target.Hide || !target.HasContent() {
		return backend.DataResponse{}
	}
	query, dropped := target.Runnable(cube.TimeRange{From: q.TimeRange.From, To: q.TimeRange.To}, d.now())
	body, err := d.client.Load(ctx, query)
	if err != nil {
		// Alert rules and shared boards have no browser console: the server log is where this shows.
		backend.Logger.Warn("Cube query failed", "refId", q.RefID, "error", err.Error())
		return errorResponse(err)
	}
	options := cube.FrameOptions{RefID: q.RefID, Format: target.ResolvedFormat(), Currency: d.settings.Currency}
	frames, err := cube.Frames(body, query, options)
	if err == nil && cube.UsesCurrency(frames) {
		// Only a panel that shows money asks the model for the tenant's currency.
		if options.Currency = d.tenantCurrency(ctx); options.Currency != d.settings.Currency {
			frames, err = cube.Frames(body, query, options)
		}
	}
	if err != nil {
		return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
	}
	if err := cube.ExplainMissing(frames, func() (bool, error) { return d.hasSubscriptions(ctx) }); err != nil {
		backend.Logger.Warn("Cannot tell whether the tenant has subscriptions", "refId", q.RefID, "error", err.Error())
	}
	executed, _ := json.MarshalIndent(query, "", "  ")
	granularity := cube.Granularity(query)
	for _, frame := range frames {
		frame.Meta.ExecutedQueryString = string(executed)
		for _, filter := range dropped {
			frame.Meta.Notices = append(frame.Meta.Notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: filter.Notice()})
		}
		if granularity != "" {
			// A panel can then say "month to date" when it judges an incomplete period.
			frame.Meta.Custom = map[string]any{"periods": target.Periods, "granularity": granularity}
		}
	}
	return backend.DataResponse{Frames: frames}
}

// hasSubscriptions asks Cube once per instance (one tenant's token) whether the tenant has any subscription.
func (d *Datasource) hasSubscriptions(ctx context.Context) (bool, error) {
	d.subscriptionsMu.Lock()
	defer d.subscriptionsMu.Unlock()
	if d.subscriptions != nil {
		return *d.subscriptions, nil
	}
	body, err := d.client.Load(ctx, cube.SubscriptionsQuery())
	if err != nil {
		return false, err
	}
	has, err := cube.HasSubscriptions(body)
	if err != nil {
		return false, err
	}
	d.subscriptions = &has
	return has, nil
}

// tenantCurrency is the tenant's currency from the model, asked once per instance; when the
// model cannot say (an older model, Cube unreachable), jsonData.currency, then "" (USD).
func (d *Datasource) tenantCurrency(ctx context.Context) string {
	d.currencyMu.Lock()
	defer d.currencyMu.Unlock()
	if d.currency != nil {
		return *d.currency
	}
	body, err := d.client.Load(ctx, cube.TenantCurrencyQuery())
	code := ""
	if err == nil {
		code, err = cube.TenantCurrency(body)
	}
	if err != nil {
		backend.Logger.Warn("Cannot read the tenant's currency from the model; using jsonData.currency", "error", err.Error())
		return d.settings.Currency
	}
	if code == "" {
		code = d.settings.Currency
	}
	d.currency = &code
	return code
}

// errorResponse is a failed Cube exchange as a panel's error, with Cube's status where it gave one.
func errorResponse(err error) backend.DataResponse {
	var cubeError *cube.Error
	if errors.As(err, &cubeError) && cubeError.Status >= 400 {
		return backend.ErrDataResponseWithSource(backend.Status(cubeError.Status), backend.ErrorSourceDownstream, err.Error())
	}
	return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, err.Error())
}

// statusOf is the HTTP status a resource answers for an error.
func statusOf(err error) int {
	var cubeError *cube.Error
	var invalidQuery *cube.InvalidQueryError
	var badRequest *requestError
	switch {
	case errors.As(err, &invalidQuery), errors.As(err, &badRequest):
		return http.StatusBadRequest
	case errors.As(err, &cubeError) && cubeError.Status >= 400:
		return cubeError.Status
	}
	return http.StatusBadGateway
}
