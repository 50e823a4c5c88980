using System.Data.Common;
using Glidepath.Errors;

namespace Glidepath.Storage.Contract.Tests.Support;

internal static class StoreAssert
{
    /// <summary>
    /// Asserts the store refused the write as a store failure: an <see cref="OperationalException"/>, or a database's
    /// own <see cref="DbException"/> (a violated constraint). The CLI reports either as exit 3, "nothing was written".
    /// </summary>
    public static async Task<Exception> RefusedAsync(Func<Task> write)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(write);
        Assert.True(ex is OperationalException or DbException, $"expected a store failure, got {ex.GetType().Name}: {ex.Message}");
        return ex;
    }
}
