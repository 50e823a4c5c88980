namespace Glidepath.Rollouts;

/// <summary>What the judge tells the controller to do after a look.</summary>
public enum JudgeOutcome
{
    /// <summary>Not decided yet: keep the weight and keep collecting.</summary>
    Continue,

    /// <summary>Minimum samples reached and every metric safe: next step (or promote after the last).</summary>
    Advance,

    /// <summary>A metric is harmed beyond its tolerance, or the step ran out of time with on_inconclusive: rollback.</summary>
    RollBack,

    /// <summary>The step ran out of time undecided and on_inconclusive is hold: stay at this weight and keep judging.</summary>
    Hold,
}
