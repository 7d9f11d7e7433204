using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace WorkerFleet.Client;

/// <summary>The outcome of a call the service answered: success, or its refusal as a <see cref="WorkerFleetProblem"/>.
/// A call the service did not answer (unreachable, timed out) throws instead, so the two are never confused.</summary>
public class WorkerFleetResult
{
    private protected WorkerFleetResult(HttpStatusCode statusCode, WorkerFleetProblem? problem)
    {
        StatusCode = statusCode;
        Problem = problem;
    }

    /// <summary>The HTTP status the service answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Why the service refused the call; null on success.</summary>
    public WorkerFleetProblem? Problem { get; }

    /// <summary>Whether the service did what was asked (a 2xx answer).</summary>
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool IsSuccess => Problem is null;

    /// <summary>A success without a value, such as a 204.</summary>
    /// <param name="statusCode">The 2xx status.</param>
    /// <returns>The result.</returns>
    public static WorkerFleetResult Success(HttpStatusCode statusCode) => new(statusCode, null);

    /// <summary>A refusal.</summary>
    /// <param name="problem">What the service answered.</param>
    /// <returns>The result.</returns>
    public static WorkerFleetResult Failure(WorkerFleetProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(problem.Status, problem);
    }

    /// <summary>"Succeeded with …" or the problem, for logs; never a credential.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => IsSuccess ? $"Succeeded with {(int)StatusCode}" : Problem.ToString();
}

/// <summary>The outcome of a call the service answered with a value on success.</summary>
/// <typeparam name="T">What a success carries.</typeparam>
public sealed class WorkerFleetResult<T> : WorkerFleetResult
{
    private readonly T? _value;

    private WorkerFleetResult(HttpStatusCode statusCode, T? value, WorkerFleetProblem? problem)
        : base(statusCode, problem) => _value = value;

    /// <summary>What the service answered.</summary>
    /// <exception cref="InvalidOperationException">The call failed; the message names the status and problem type.</exception>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"The call has no value: {Problem}");

    /// <summary>A success.</summary>
    /// <param name="statusCode">The 2xx status.</param>
    /// <param name="value">What the service answered.</param>
    /// <returns>The result.</returns>
    public static WorkerFleetResult<T> Success(HttpStatusCode statusCode, T value) => new(statusCode, value, null);

    /// <summary>A refusal.</summary>
    /// <param name="problem">What the service answered.</param>
    /// <returns>The result.</returns>
    public static new WorkerFleetResult<T> Failure(WorkerFleetProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(problem.Status, default, problem);
    }
}
