using Glidepath.Storage.Contract.Tests.Contracts;
using Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

namespace Glidepath.Storage.Contract.Tests.Sqlite;

// The whole contract, run on the SQLite store, a real file per test: one line per contract (ContractCoverageTests checks none is missing).
public sealed class SqliteReleaseStoreTests() : ReleaseStoreContract(new SqliteStoreFactory());

public sealed class SqliteEnvironmentStoreTests() : EnvironmentStoreContract(new SqliteStoreFactory());

public sealed class SqliteGateVerdictStoreTests() : GateVerdictStoreContract(new SqliteStoreFactory());

public sealed class SqliteTraceStoreTests() : TraceStoreContract(new SqliteStoreFactory());

public sealed class SqliteTraceRetentionTests() : TraceRetentionContract(new SqliteStoreFactory());

public sealed class SqliteResponseCacheStoreTests() : ResponseCacheStoreContract(new SqliteStoreFactory());

public sealed class SqliteEvalRunStoreTests() : EvalRunStoreContract(new SqliteStoreFactory());

public sealed class SqliteEvalRunnerTests() : EvalRunnerContract(new SqliteStoreFactory());

public sealed class SqliteEvalRunLeaseTests() : EvalRunLeaseContract(new SqliteStoreFactory());

public sealed class SqliteRolloutStoreTests() : RolloutStoreContract(new SqliteStoreFactory());

public sealed class SqliteRolloutControllerTests() : RolloutControllerContract(new SqliteStoreFactory());

public sealed class SqliteRolloutDeadlineTests() : RolloutDeadlineContract(new SqliteStoreFactory());
public sealed class SqliteRolloutErrorMixTests() : RolloutErrorMixContract(new SqliteStoreFactory());

public sealed class SqliteRolloutNettedHoldTests() : RolloutNettedHoldContract(new SqliteStoreFactory());

public sealed class SqliteRolloutEndedExternallyTests() : RolloutEndedExternallyContract(new SqliteStoreFactory());

public sealed class SqliteRolloutOutdatedTests() : RolloutOutdatedContract(new SqliteStoreFactory());

public sealed class SqliteRolloutSettleTests() : RolloutSettleContract(new SqliteStoreFactory());

public sealed class SqliteRolloutPresenceTests() : RolloutPresenceContract(new SqliteStoreFactory());

public sealed class SqliteMonitorStoreTests() : MonitorStoreContract(new SqliteStoreFactory());

public sealed class SqliteApiKeyStoreTests() : ApiKeyStoreContract(new SqliteStoreFactory());

public sealed class SqliteAccessTokenStoreTests() : AccessTokenStoreContract(new SqliteStoreFactory());
public sealed class SqliteSignOutStoreTests() : SignOutStoreContract(new SqliteStoreFactory());

public sealed class SqliteStoreIdentityTests() : StoreIdentityContract(new SqliteStoreFactory());

public sealed class SqliteConcurrencyTests() : ConcurrencyContract(new SqliteStoreFactory());

public sealed class SqliteTraceKeyTests() : TraceKeyContract(new SqliteStoreFactory());
public sealed class SqliteShadowStoreTests() : ShadowStoreContract(new SqliteStoreFactory());
