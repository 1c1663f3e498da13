// Package provider is the Terraform side of terraform-provider-box: the
// provider's schema and configuration, and its resources.
package provider

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/pluginlog"
)

var (
	_ provider.Provider                       = &boxProvider{}
	_ provider.ProviderWithEphemeralResources = &boxProvider{}
	_ provider.ProviderWithActions            = &boxProvider{}
	_ provider.ProviderWithListResources      = &boxProvider{}
)

// Address is the registry address the provider is served under; its last
// part, the type name, also names its log level variable
// (TF_LOG_PROVIDER_BOX).
const Address = "registry.terraform.io/box/box"

// New returns a constructor for the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &boxProvider{version: version, getenv: os.Getenv}
	}
}

type boxProvider struct {
	version string
	// getenv is injected so tests can check the environment fallbacks
	// without touching the process environment.
	getenv func(string) string
	// listPageSize is the page size of the data sources' list calls; 0
	// means Box's largest. Tests make it small to cover paging.
	listPageSize int64
	// httpClient, when set, is the client's base HTTP transport unless
	// ca_cert_file gives one. Tests inject a dialer with it (a DNS failure
	// without asking any resolver).
	httpClient *http.Client
	// dial, when set, dials every connection instead of the transport's
	// dialer, also under ca_cert_file. Only tests set it: it resolves a
	// host name a test certificate carries to loopback without asking any
	// resolver.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (p *boxProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "box"
	resp.Version = p.version
}

func (p *boxProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Box provider manages [Box Sign](https://developer.box.com/guides/box-sign/) requests. " +
			"Configure exactly one authentication method: a developer or access token, the client-credentials grant, or JWT server authentication.",
		Attributes: map[string]schema.Attribute{
			"access_token": schema.StringAttribute{
				MarkdownDescription: "A Box access token, such as a developer token from the Developer Console. Falls back to the `BOX_ACCESS_TOKEN` environment variable. Developer tokens expire after 60 minutes and cannot be renewed.",
				Optional:            true,
				Sensitive:           true,
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "The client ID of a Box app using the client-credentials grant. Falls back to `BOX_CLIENT_ID`. Use with `client_secret` and one of `enterprise_id` or `user_id`.",
				Optional:            true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "The client secret of the app. Falls back to `BOX_CLIENT_SECRET`.",
				Optional:            true,
				Sensitive:           true,
			},
			"enterprise_id": schema.StringAttribute{
				MarkdownDescription: "Authenticate the client-credentials grant as the enterprise's service account. Falls back to `BOX_ENTERPRISE_ID`. Conflicts with `user_id`.",
				Optional:            true,
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "Authenticate the client-credentials grant as this user (the app needs \"Generate user access tokens\"). Falls back to `BOX_USER_ID`. Conflicts with `enterprise_id`.",
				Optional:            true,
			},
			"jwt_config_file": schema.StringAttribute{
				MarkdownDescription: "Path to the JSON config file that Box's Developer Console downloads for a JWT app, encrypted private key and passphrase included. Falls back to `BOX_JWT_CONFIG_FILE`. Conflicts with `jwt_config`.",
				Optional:            true,
			},
			"jwt_config": schema.StringAttribute{
				MarkdownDescription: "The contents of a JWT app config file, as JSON. Falls back to `BOX_JWT_CONFIG`. Conflicts with `jwt_config_file`.",
				Optional:            true,
				Sensitive:           true,
			},
			"as_user_id": schema.StringAttribute{
				MarkdownDescription: "Act as this user by sending the `As-User` header on every API call. The app needs \"Perform actions as users\". Falls back to `BOX_AS_USER_ID`.",
				Optional:            true,
			},
			"api_base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Box API, without `/2.0`. Falls back to `BOX_API_BASE_URL`, then `https://api.box.com`. Point it at the Box API emulator for offline use. Plain `http://` is accepted only for loopback hosts.",
				Optional:            true,
			},
			"upload_base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL for uploads. Falls back to `BOX_UPLOAD_BASE_URL`, then `https://upload.box.com`; when only `api_base_url` is set to a loopback host, uploads go there too.",
				Optional:            true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a failed API call is retried (429, 5xx and network errors). Defaults to `5`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one HTTP attempt may take, as a Go duration such as `60s` or `2m`. Defaults to `60s`.",
				Optional:            true,
				Validators:          []validator.String{durationValidator{}},
			},
			"orphan_window": schema.StringAttribute{
				MarkdownDescription: "How far back to look, before sending a sign request, for an identical live one that an interrupted run sent but never recorded (an *orphan*), " +
					"to adopt it instead of emailing the signers again. A Go duration such as `24h` or `90m`; `\"0\"` turns the search off. Falls back to `BOX_ORPHAN_WINDOW`, then `6h`. " +
					"The search costs one `GET /users/me` and one walk of the user's recent sign requests (1000 per page) per provider run, shared by all resources. " +
					"See `allow_identical` on `box_sign_request` for what counts as identical and how to send identical requests on purpose.",
				Optional:   true,
				Validators: []validator.String{durationValidator{allowZero: true}},
			},
			"ca_cert_file": schema.StringAttribute{
				MarkdownDescription: "Path to a PEM file of CA certificates to trust for `api_base_url` and `upload_base_url`, in addition to the system's: for a TLS-inspecting proxy or a private endpoint. Falls back to `BOX_CA_CERT_FILE`. Certificates are always verified.",
				Optional:            true,
			},
		},
	}
}

func (p *boxProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	clientCfg, diags := cfg.clientConfig(p.getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if clientCfg.HTTPClient == nil {
		clientCfg.HTTPClient = p.httpClient
	}
	if p.dial != nil {
		clientCfg.HTTPClient = withDialer(clientCfg.HTTPClient, p.dial)
	}
	clientCfg.UserAgent = fmt.Sprintf("terraform-provider-box/%s Terraform/%s", p.version, req.TerraformVersion)
	// Building a redacted log line for every API call is wasted when the
	// provider's logger drops DEBUG (as main sets it to when Terraform
	// would discard the lines anyway).
	if !pluginlog.ProviderDebugDropped(p.getenv, Address) {
		clientCfg.Logger = tflogLogger
	}
	client, err := box.New(clientCfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Box provider configuration", err.Error())
		return
	}
	data := &providerData{client: client, pageSize: p.listPageSize}
	resp.ResourceData, resp.DataSourceData, resp.EphemeralResourceData = data, data, data
	resp.ActionData, resp.ListResourceData = data, data
}

func (p *boxProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewSignRequestResource,
		NewFolderResource,
		NewFileResource,
		NewCollaborationResource,
		NewWebhookResource,
	}
}

func (p *boxProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewFolderDataSource,
		NewCurrentUserDataSource,
		NewFileDataSource,
		NewSignTemplateDataSource,
		NewSignTemplatesDataSource,
		NewSignRequestDataSource,
		NewSignRequestsDataSource,
	}
}

func (p *boxProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewSignRequestSigningLinkEphemeralResource,
	}
}

func (p *boxProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewSignRequestRemindAction,
		NewSignRequestArchiveAction,
	}
}

func (p *boxProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewSignRequestListResource,
		NewFolderListResource,
		NewFileListResource,
		NewWebhookListResource,
	}
}

// tflogLogger routes the client's debug messages to Terraform's log. The
// client redacts secrets before it logs, so fields pass through as they are.
func tflogLogger(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

// durationValidator checks that a string parses as a positive Go
// duration, or zero when allowZero is set.
type durationValidator struct{ allowZero bool }

func (durationValidator) Description(context.Context) string {
	return "value must be a Go duration such as 30s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	switch {
	case v.allowZero && (err != nil || d < 0):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			"Set a Go duration such as \"24h\" or \"90m\", or \"0\" to turn this off.")
	case !v.allowZero && (err != nil || d <= 0):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			"Set a positive Go duration such as \"30s\" or \"2m\".")
	}
}

// providerModel mirrors the provider block.
type providerModel struct {
	AccessToken    types.String `tfsdk:"access_token"`
	ClientID       types.String `tfsdk:"client_id"`
	ClientSecret   types.String `tfsdk:"client_secret"`
	EnterpriseID   types.String `tfsdk:"enterprise_id"`
	UserID         types.String `tfsdk:"user_id"`
	JWTConfigFile  types.String `tfsdk:"jwt_config_file"`
	JWTConfig      types.String `tfsdk:"jwt_config"`
	AsUserID       types.String `tfsdk:"as_user_id"`
	APIBaseURL     types.String `tfsdk:"api_base_url"`
	UploadBaseURL  types.String `tfsdk:"upload_base_url"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	CACertFile     types.String `tfsdk:"ca_cert_file"`
	OrphanWindow   types.String `tfsdk:"orphan_window"`
}
