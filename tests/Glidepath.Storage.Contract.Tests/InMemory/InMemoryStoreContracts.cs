using Glidepath.Storage.Contract.Tests.Contracts;
using Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

namespace Glidepath.Storage.Contract.Tests.InMemory;

// The whole contract, run on the in-memory store: one line per contract (ContractCoverageTests checks none is missing).
public sealed class InMemoryReleaseStoreTests() : ReleaseStoreContract(new InMemoryStoreFactory());

public sealed class InMemoryEnvironmentStoreTests() : EnvironmentStoreContract(new InMemoryStoreFactory());

public sealed class InMemoryGateVerdictStoreTests() : GateVerdictStoreContract(new InMemoryStoreFactory());

public sealed class InMemoryTraceStoreTests() : TraceStoreContract(new InMemoryStoreFactory());

public sealed class InMemoryTraceRetentionTests() : TraceRetentionContract(new InMemoryStoreFactory());

public sealed class InMemoryResponseCacheStoreTests() : ResponseCacheStoreContract(new InMemoryStoreFactory());

public sealed class InMemoryEvalRunStoreTests() : EvalRunStoreContract(new InMemoryStoreFactory());

public sealed class InMemoryEvalRunnerTests() : EvalRunnerContract(new InMemoryStoreFactory());

public sealed class InMemoryEvalRunLeaseTests() : EvalRunLeaseContract(new InMemoryStoreFactory());

public sealed class InMemoryRolloutStoreTests() : RolloutStoreContract(new InMemoryStoreFactory());

public sealed class InMemoryRolloutControllerTests() : RolloutControllerContract(new InMemoryStoreFactory());

public sealed class InMemoryRolloutDeadlineTests() : RolloutDeadlineContract(new InMemoryStoreFactory());
public sealed class InMemoryRolloutErrorMixTests() : RolloutErrorMixContract(new InMemoryStoreFactory());

public sealed class InMemoryRolloutNettedHoldTests() : RolloutNettedHoldContract(new InMemoryStoreFactory());

public sealed class InMemoryRolloutEndedExternallyTests() : RolloutEndedExternallyContract(new InMemoryStoreFactory());

public sealed class InMemoryRolloutOutdatedTests() : RolloutOutdatedContract(new InMemoryStoreFactory());

public sealed class InMemoryRolloutSettleTests() : RolloutSettleContract(new InMemoryStoreFactory());

public sealed class InMemoryRolloutPresenceTests() : RolloutPresenceContract(new InMemoryStoreFactory());

public sealed class InMemoryMonitorStoreTests() : MonitorStoreContract(new InMemoryStoreFactory());

public sealed class InMemoryStoreIdentityTests() : StoreIdentityContract(new InMemoryStoreFactory());

public sealed class InMemoryConcurrencyTests() : ConcurrencyContract(new InMemoryStoreFactory());

public sealed class InMemoryApiKeyStoreTests() : ApiKeyStoreContract(new InMemoryStoreFactory());

public sealed class InMemoryAccessTokenStoreTests() : AccessTokenStoreContract(new InMemoryStoreFactory());
public sealed class InMemorySignOutStoreTests() : SignOutStoreContract(new InMemoryStoreFactory());

public sealed class InMemoryTraceKeyTests() : TraceKeyContract(new InMemoryStoreFactory());
public sealed class InMemoryShadowStoreTests() : ShadowStoreContract(new InMemoryStoreFactory());
