using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common;

/// <summary>Lets pipeline behaviours build a failed response without knowing its value type.</summary>
/// <typeparam name="TSelf">The result type itself.</typeparam>
public interface IFailable<out TSelf>
{
    /// <summary>The failure, or null on success.</summary>
    WorkerError? Error { get; }

    /// <summary>A failed result.</summary>
    /// <param name="error">Why it failed.</param>
    /// <returns>The result.</returns>
    static abstract TSelf Failure(WorkerError error);
}

/// <summary>The outcome of a use case: a value or a <see cref="WorkerError"/>. Expected failures never throw.</summary>
/// <typeparam name="T">The value of a success.</typeparam>
public sealed class Result<T> : IFailable<Result<T>>
{
    private readonly T? _value;

    private Result(T? value, WorkerError? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The failure, or null on success.</summary>
    public WorkerError? Error { get; }

    /// <summary>Whether the use case succeeded.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>The value of a success.</summary>
    /// <exception cref="InvalidOperationException">The result is a failure.</exception>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"The result failed: {Error!.Message}");

    /// <summary>A successful result.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The result.</returns>
    public static Result<T> Success(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    /// <param name="error">Why it failed.</param>
    /// <returns>The result.</returns>
    public static Result<T> Failure(WorkerError error) => new(default, error);

    /// <summary>A successful result of <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator Result<T>(T value) => Success(value);

    /// <summary>A failed result of <paramref name="error"/>.</summary>
    /// <param name="error">Why it failed.</param>
    public static implicit operator Result<T>(WorkerError error) => Failure(error);

    /// <summary>Projects the result: <paramref name="onSuccess"/> of the value or <paramref name="onFailure"/> of the error.</summary>
    /// <typeparam name="TOut">The projection's type.</typeparam>
    /// <param name="onSuccess">Applied to the value of a success.</param>
    /// <param name="onFailure">Applied to the error of a failure.</param>
    /// <returns>What the applied function returns.</returns>
    public TOut Match<TOut>(Func<T, TOut> onSuccess, Func<WorkerError, TOut> onFailure) =>
        IsSuccess ? onSuccess(_value!) : onFailure(Error!);
}
