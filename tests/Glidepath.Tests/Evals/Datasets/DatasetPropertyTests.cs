using System.Text;
using CsCheck;
using Glidepath.Evals.Datasets;

namespace Glidepath.Tests.Evals.Datasets;

/// <summary>
/// Issue 13's property: 10,000 dataset lines mutated from the sample's either load or fail as bad input
/// (exit 2, located on their line); no other exception, ever. Fixed seed, so every run tries the same inputs.
/// </summary>
public sealed class DatasetPropertyTests
{
    public const int Count = 10_000;

    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(TempDir.RepoRoot(), "samples", "support-agent", "evals", "support.jsonl"))
        .Where(l => l.Length > 0).ToArray();

    private static readonly byte[][] BadBytes = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0xEF, 0xBB, 0xBF]];

    /// <summary>A valid first line, then the mutated line (sometimes with raw bytes that are not UTF-8).</summary>
    private static readonly Gen<byte[]> Inputs =
        Gen.Select(Gen.Int[0, Lines.Length - 1], InputMutations.Mutations, Gen.Int[0, 20], Gen.Double.Unit)
            .Select((line, mutations, bytes, at) =>
            {
                var text = Encoding.UTF8.GetBytes(InputMutations.Apply(Lines[line], mutations, json: true));
                if (bytes < BadBytes.Length)
                {
                    var pos = (int)(at * text.Length);
                    text = [.. text[..pos], .. BadBytes[bytes], .. text[pos..]];
                }

                return (byte[])[.. Encoding.UTF8.GetBytes(Lines[(line + 1) % Lines.Length] + "\n"), .. text];
            });

    [Fact]
    public async Task Read_TenThousandMutatedLines_OnlySuccessOrBadInputOnLineTwo()
    {
        var failures = new List<string>();
        var rejected = 0;
        foreach (var (bytes, seed) in InputMutations.Deterministic(Inputs, Count, stream: 31))
        {
            try
            {
                await DatasetReader.ReadAsync(new MemoryStream(bytes), "cases.jsonl", "cases.jsonl", CancellationToken.None);
            }
            catch (DatasetException ex)
            {
                rejected++;
                if (ex.Problems.Any(p => !p.StartsWith("cases.jsonl:2: ", StringComparison.Ordinal) && !p.StartsWith("cases.jsonl:3: ", StringComparison.Ordinal)))
                {
                    failures.Add($"seed {seed}: reported on the wrong line: {ex.Problems[0]}");
                }
            }
            catch (Exception ex)
            {
                failures.Add($"seed {seed}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Count} inputs failed the property:\n{string.Join('\n', failures.Take(10))}");
        Assert.InRange(rejected, Count / 4, Count);
    }
}
