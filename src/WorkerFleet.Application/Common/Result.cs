using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common;

/// <summary>Lets pipeline behaviours build a failed response without knowing its value type.</summary>
public interface IFailable<out TSelf>
{
    WorkerError? Error { get; }

    static abstract TSelf Failure(WorkerError error);
}

/// <summary>The outcome of a use case: a value or a <see cref="WorkerError"/>. Expected failures never throw.</summary>
public sealed class Result<T> : IFailable<Result<T>>
{
    private readonly T? _value;

    private Result(T? value, WorkerError? error)
    {
        _value = value;
        Error = error;
    }

    public WorkerError? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"The result failed: {Error!.Message}");

    public static Result<T> Success(T value) => new(value, null);

    public static Result<T> Failure(WorkerError error) => new(default, error);

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(WorkerError error) => Failure(error);

    public TOut Match<TOut>(Func<T, TOut> onSuccess, Func<WorkerError, TOut> onFailure) =>
        IsSuccess ? onSuccess(_value!) : onFailure(Error!);
}
