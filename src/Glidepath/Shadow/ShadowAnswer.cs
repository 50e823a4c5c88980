namespace Glidepath.Shadow;

/// <summary>
/// What <c>shadow start</c> and <c>shadow stop</c> print with <c>--format json</c> and what the admin API's
/// <c>POST …/shadow/start</c> and <c>…/shadow/stop</c> answer: the shadow as <c>shadow status</c> shows it, and the notes the
/// command says on stderr (a cap too small for a pass), so a client of the API is told what a local run is told.
/// </summary>
public sealed record ShadowAnswer(ShadowView Shadow, IReadOnlyList<string> Notes);
