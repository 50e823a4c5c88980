using System.ComponentModel.DataAnnotations;

namespace Glidepath.Gateway.Admin.Requests;

/// <summary><c>POST …/keys</c>: as <c>glidepath keys create --env E --name N [--rpm] [--budget-usd-per-day]</c>.</summary>
public sealed record KeyCreateRequest
{
    [Required]
    public string? Name { get; init; }
    public int? Rpm { get; init; }
    public double? BudgetUsdPerDay { get; init; }
}
