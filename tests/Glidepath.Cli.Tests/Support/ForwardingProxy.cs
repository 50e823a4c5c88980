using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Glidepath.Cli.Tests.Support;

/// <summary>
/// An interface forwarded to a real object, except the calls <see cref="Override"/> answers (a non-null result): a store
/// that fails where a test says, without a hand-written wrapper of every member.
/// </summary>
public class ForwardingProxy : DispatchProxy
{
    private object _inner = null!;
    private Func<MethodInfo, object?[]?, object?> _override = (_, _) => null;

    /// <summary><paramref name="inner"/> as <typeparamref name="T"/>, with <paramref name="over"/> answering first (null: forward).</summary>
    public static T Wrap<T>(T inner, Func<MethodInfo, object?[]?, object?> over)
        where T : class
    {
        var proxy = Create<T, ForwardingProxy>();
        var forwarding = (ForwardingProxy)(object)proxy;
        forwarding._inner = inner;
        forwarding._override = over;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (_override(targetMethod, args) is { } answer)
        {
            return answer;
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
