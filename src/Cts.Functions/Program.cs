using Cts.Functions.Api;
using Cts.Functions.Hosting;
using Cts.Functions.Security;

// The CTS host: HTTP "functions" in front of a co-hosted Orleans silo that runs one durable engine per connection.
var builder = WebApplication.CreateBuilder(args);
builder.AddFunctionsConfiguration();
builder.AddCtsDefaults();
builder.AddCtsSecurity();
builder.AddCtsObservability();
builder.Services.AddCtsStorage(builder.Configuration);
builder.Services.AddCtsEngines(builder.Configuration);
builder.Services.AddCtsBackups(builder.Configuration);
builder.Services.AddCtsBacktests();
builder.AddCtsSilo();

var app = builder.Build();
app.UseCtsErrorHandling();
app.UseCorrelationId();
// The live page (wwwroot): static files carry no data, every API call they make sends the API key.
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseRequestSizeLimit();
app.UseAuthentication();
app.UseAuthorization();
app.UseConfigSnapshots();
app.MapCtsHealth();
app.MapCtsObservability();
app.MapEnginesApi();
app.MapConnectionsApi();
app.MapPositionsApi();
app.MapEventsApi();
app.MapPresetsApi();
app.MapSettingsApi();
app.MapAuditApi();
app.MapBackupsApi();
app.MapBacktestsApi();
app.MapCandlesApi();
app.MapPerformanceApi();
app.MapTradeEngineAliases();
app.Run();

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;
