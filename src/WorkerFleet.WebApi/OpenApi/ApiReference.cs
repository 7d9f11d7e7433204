using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using WorkerFleet.WebApi.Problems;
using WorkerFleet.WebApi.Security;

namespace WorkerFleet.WebApi.OpenApi;

/// <summary>Two OpenAPI documents, WorkerFleet's own (<c>/openapi/v1.json</c>) and the Quartz scheduler's HTTP API
/// (<c>/openapi/quartz.json</c>), and the interactive reference over both at <c>/scalar</c>. The reference loads
/// nothing from outside the service: no fonts, no telemetry, no AI agent.</summary>
internal static class ApiReference
{
    public const string Document = "v1";
    public const string QuartzDocument = "quartz";

    private const string QuartzPath = "quartz-api";

    // The order a newcomer reads the API in: the workers first, the probes last.
    private static readonly (string Name, string Description)[] Tags =
    [
        ("Workers", "Register workers, take their heartbeats, read them one by one or by selection, and the operator's changes: fail, cordon, rotate a token, unregister."),
        ("Events", "The journal of every change of a worker: a worker's timeline, the fleet's events after a sequence, and a live Server-Sent Events stream."),
        ("Alarms", "What an operator must act on: a region held by mass-failure protection, storage unavailable; and the override of the protection."),
        ("Scheduler", "Run the three lifecycle transitions now. The Quartz HTTP API, with each job's schedule and history, is a document of its own."),
        ("Caller", "Who the presented credential is."),
        ("Metrics", "This instance's recent meter readings, as the dashboard charts them."),
        ("Health", "Liveness and readiness, without a credential."),
    ];

    public static IServiceCollection AddApiReference(this IServiceCollection services)
    {
        services.AddOpenApi(Document, options =>
        {
            options.ShouldInclude = description => !IsQuartz(description);
            options.AddOperationTransformer((operation, context, _) =>
            {
                AddExamples(operation, context.Description, context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "WorkerFleet",
                    Version = typeof(ApiReference).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
                    Description = Introduction,
                };
                document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
                AddHealth(document);
                RequireCredential(document);
                return Task.CompletedTask;
            });
        });
        services.AddOpenApi(QuartzDocument, options =>
        {
            options.ShouldInclude = IsQuartz;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Quartz scheduler HTTP API",
                    Version = "1.0.0",
                    Description = "Quartz.NET's HTTP API over this service's scheduler: jobs, triggers, their states and execution history. " +
                        "A reader key reads it; only an admin key changes anything (pause, resume, trigger now).",
                };
                RequireCredential(document);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(options => options
            .WithTitle("WorkerFleet API reference")
            .AddDocument(Document, "WorkerFleet", isDefault: true)
            .AddDocument(QuartzDocument, "Quartz scheduler")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .HideClientButton()
            .WithDotNetFlag(false)).AllowAnonymous();
        return app;
    }

    private static bool IsQuartz(ApiDescription description) =>
        description.RelativePath?.StartsWith(QuartzPath, StringComparison.Ordinal) == true;

    private static string Introduction => $"""
        WorkerFleet keeps track of a fleet of workers. Workers **register** (`POST /workers`) and start `Pending`;
        they send **heartbeats** with their own token, which record a time and never change a status. Scheduled jobs
        make every change in batches: activation (`Pending → Active`), stale detection (`Active → Offline`) and
        reactivation (`Offline → Active`). `Failed` is set only by an operator, and is final.

        **Credentials** go in `Authorization: Bearer …`: a registration key registers, a reader key reads, an admin key
        reads and operates, and a worker's token (returned once, at registration) heartbeats and unregisters that worker.

        **Errors** are RFC 7807 problems (`application/problem+json`) whose `type` is `{WorkerProblems.TypePrefix}` and one of:

        | type | status | when |
        |---|---|---|
        | `invalid-configuration` | 400 | a field breaks a rule; `errors` names each field |
        | `malformed-request` | 400 | JSON that is malformed, of a wrong type, with unknown or repeated fields |
        | `invalid-state-transition` | 400 | a status change the lifecycle does not allow |
        | `unauthorized` | 401 | no credential, or one this service did not issue |
        | `invalid-worker-token` | 401 | a heartbeat with a token that is not the worker's current one |
        | `forbidden` | 403 | a credential that may not do this, such as a worker's token on another worker |
        | `worker-not-found` | 404 | no such worker |
        | `no-such-route` / `method-not-allowed` | 404 / 405 | no such route, or not with this method |
        | `worker-already-exists` | 409 | the id is registered |
        | `status-conflict` | 409 | `expectedStatus` no longer holds |
        | `events-expired` | 410 | retention deleted events after the asked sequence |
        | `scheduler-item-not-found` / `scheduler-conflict` / `scheduler-request-refused` | 404 / 409 / 4xx | the Quartz HTTP API refused the request |
        | `body-too-large` | 413 | a body over 64 KiB |
        | `unsupported-media-type` | 415 | a body that is not `application/json` |
        | `too-many-heartbeats` | 429 | a worker over its heartbeat rate; `Retry-After` says when |
        | `too-many-registrations` | 429 | a key over its registration rate; `Retry-After` says when |
        | `too-many-failed-authentications` | 429 | a client that presented too many refused credentials; `Retry-After` says when |
        | `too-many-streams` | 429 | a credential that already holds as many open event streams as it may |
        | `storage-unavailable` | 503 | the database does not answer; `Retry-After` says when to try again |
        | `unexpected` | 500 | anything else; it reveals no internals |

        A refused request changes nothing.
        """;

    private static void AddHealth(OpenApiDocument document)
    {
        document.Paths ??= [];
        foreach (var (path, summary, description) in new[]
        {
            ("/health", "Health of every check", "200 when every check is Healthy or Degraded, 503 otherwise, with each check's status: database, scheduler, alarms."),
            ("/health/live", "Liveness", "200 while the process serves requests; runs no check."),
            ("/health/ready", "Readiness", "200 when storage answers and the scheduler runs; the alarms do not take an instance out of service."),
        })
        {
            var operation = new OpenApiOperation
            {
                Summary = summary,
                Description = description,
                Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                Security = [],
                Responses = new OpenApiResponses
                {
                    ["200"] = HealthResponse("Healthy (or Degraded)", "Healthy"),
                    ["503"] = HealthResponse("Unhealthy", "Unhealthy"),
                },
            };
            document.Paths[path] = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };
        }
    }

    private static OpenApiResponse HealthResponse(string description, string status) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new()
            {
                Example = new JsonObject
                {
                    ["status"] = status,
                    ["checks"] = new JsonObject { ["database"] = status, ["scheduler"] = "Healthy", ["alarms"] = "Healthy" },
                },
            },
        },
    };

    // On each body's media type rather than on its schema: the schema of a problem is shared by every status, and an
    // OpenAPI 3.1 schema keeps examples in a list that references do not show.
    private static void AddExamples(OpenApiOperation operation, ApiDescription description, JsonSerializerOptions json)
    {
        var request = description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
        foreach (var media in operation.RequestBody?.Content?.Values ?? [])
        {
            media.Example = request is null ? null : ApiExamples.Body(request, json);
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            var code = int.Parse(status, CultureInfo.InvariantCulture);
            var example = code >= StatusCodes.Status400BadRequest
                ? ApiExamples.Problem(code, description.HttpMethod ?? "GET", description.RelativePath?.TrimEnd('/')) is { } problem
                    ? JsonSerializer.SerializeToNode(problem, problem.GetType(), json)
                    : null
                : description.SupportedResponseTypes.FirstOrDefault(r => r.StatusCode == code)?.Type is { } type
                    ? ApiExamples.Body(type, json)
                    : null;
            foreach (var media in response.Content?.Values ?? [])
            {
                media.Example = example;
            }
        }
    }

    private static void RequireCredential(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[CredentialAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An admin, reader or registration key, or a worker's own token (heartbeats, unregistering itself).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CredentialAuthenticationHandler.SchemeName, document)] = [] }];
    }
}
