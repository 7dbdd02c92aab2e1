using Cts.Functions.Api;
using Cts.Functions.Hosting;
using Cts.Functions.Security;

// The CTS host: HTTP "functions" in front of a co-hosted Orleans silo that runs one durable engine per connection.
var builder = WebApplication.CreateBuilder(args);
builder.AddFunctionsConfiguration();
builder.AddCtsDefaults();
try
{
    builder.AddCtsSecurity();
}
catch (HostConfigurationException refused)
{
    // A host that would run insecurely (e.g. Production without the key-encryption certificate) does not start.
    Console.Error.WriteLine($"CTS host not started: {refused.Message}");
    return 1;
}
builder.AddCtsObservability();
builder.Services.AddCtsStorage(builder.Configuration);
builder.Services.AddCtsEngines(builder.Configuration);
builder.Services.AddCtsBackups(builder.Configuration);
builder.Services.AddCtsConsoleReads();
builder.Services.AddCtsBacktests();
builder.AddCtsSilo();

var app = builder.Build();
// CSP, nosniff and no-referrer on every response, errors included.
app.UseSecurityHeaders();
app.UseCtsErrorHandling();
app.UseCorrelationId();
// Before the static files: pages (but the sign-in page) need a session; their scripts and styles carry no data.
app.UseAuthentication();
app.UseBrowserPageGate();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseRequestSizeLimit();
app.UseAuthorization();
// Writes signed in only by the session cookie must carry the antiforgery token.
app.UseCookieAntiforgery();
app.UseConfigSnapshots();
app.MapCtsHealth();
app.MapSignIn();
app.MapCtsObservability();
// Every API route: a query or route parameter that does not parse is a 400 problem naming it (Api/QueryBinding.cs).
var api = app.MapGroup("").WithQueryBindingErrors();
api.MapEnginesApi();
api.MapConnectionsApi();
api.MapPositionsApi();
api.MapEventsApi();
api.MapPresetsApi();
api.MapSettingsApi();
api.MapAuditApi();
api.MapBackupsApi();
api.MapBacktestsApi();
api.MapCandlesApi();
api.MapPerformanceApi();
api.MapCtsConsoleReads();
api.MapTradeEngineAliases();
var exit = HostExitCode.Watch(app.Services);
app.Run();
return exit.Code;

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;
