using Glidepath.Storage.Contract.Tests.Contracts;
using Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

namespace Glidepath.Storage.Contract.Tests.Postgres;

// The whole contract, run on the PostgreSQL store: a database per test class, a schema per store; one line per
// contract (ContractCoverageTests checks none is missing).
public sealed class PostgresReleaseStoreTests(PostgresTestDatabase db) : ReleaseStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresEnvironmentStoreTests(PostgresTestDatabase db) : EnvironmentStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresGateVerdictStoreTests(PostgresTestDatabase db) : GateVerdictStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresTraceStoreTests(PostgresTestDatabase db) : TraceStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresTraceRetentionTests(PostgresTestDatabase db) : TraceRetentionContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>
{
    protected override bool StoreHasClock => true;
}

public sealed class PostgresResponseCacheStoreTests(PostgresTestDatabase db) : ResponseCacheStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresEvalRunStoreTests(PostgresTestDatabase db) : EvalRunStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresEvalRunnerTests(PostgresTestDatabase db) : EvalRunnerContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresEvalRunLeaseTests(PostgresTestDatabase db) : EvalRunLeaseContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresRolloutStoreTests(PostgresTestDatabase db) : RolloutStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresRolloutControllerTests(PostgresTestDatabase db) : RolloutControllerContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresRolloutDeadlineTests(PostgresTestDatabase db) : RolloutDeadlineContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;
public sealed class PostgresRolloutErrorMixTests(PostgresTestDatabase db) : RolloutErrorMixContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresRolloutNettedHoldTests(PostgresTestDatabase db) : RolloutNettedHoldContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresRolloutEndedExternallyTests(PostgresTestDatabase db) : RolloutEndedExternallyContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresRolloutOutdatedTests(PostgresTestDatabase db) : RolloutOutdatedContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresRolloutSettleTests(PostgresTestDatabase db) : RolloutSettleContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresRolloutPresenceTests(PostgresTestDatabase db) : RolloutPresenceContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresMonitorStoreTests(PostgresTestDatabase db) : MonitorStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresStoreIdentityTests(PostgresTestDatabase db) : StoreIdentityContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresConcurrencyTests(PostgresTestDatabase db) : ConcurrencyContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresApiKeyStoreTests(PostgresTestDatabase db) : ApiKeyStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresAccessTokenStoreTests(PostgresTestDatabase db) : AccessTokenStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;
public sealed class PostgresSignOutStoreTests(PostgresTestDatabase db) : SignOutStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;

public sealed class PostgresTraceKeyTests(PostgresTestDatabase db) : TraceKeyContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;
public sealed class PostgresShadowStoreTests(PostgresTestDatabase db) : ShadowStoreContract(new PostgresStoreFactory(db)), IClassFixture<PostgresTestDatabase>;
