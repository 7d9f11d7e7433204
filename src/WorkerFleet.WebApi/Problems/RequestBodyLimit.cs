using Microsoft.AspNetCore.Http.Features;

namespace WorkerFleet.WebApi.Problems;

/// <summary>Refuses bodies over 64 KiB before any endpoint reads them, whether the client declares the length
/// or streams the body chunked.</summary>
internal sealed class RequestBodyLimit(RequestDelegate next)
{
    public const long MaxBytes = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        return next(context);
    }
}
