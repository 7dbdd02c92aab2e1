using System.Text.RegularExpressions;
using Cts.Domain.Connections;

namespace Cts.Domain.Tests.Connections;

public sealed class ConnectionIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("btc-main")]
    [InlineData("9lives")]
    [InlineData("trailing-")]
    [InlineData("a--b")]
    public void Lowercase_slugs_are_valid(string id)
    {
        Assert.True(ConnectionId.IsValid(id));
    }

    [Fact]
    public void An_id_of_63_characters_is_valid()
    {
        Assert.True(ConnectionId.IsValid("a" + new string('b', 62)));
    }

    [Fact]
    public void An_id_of_64_characters_is_not_valid()
    {
        Assert.False(ConnectionId.IsValid("a" + new string('b', 63)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Abc")]
    [InlineData("abC")]
    [InlineData("-abc")]
    [InlineData("a_b")]
    [InlineData("a.b")]
    [InlineData("a b")]
    [InlineData(" abc")]
    [InlineData("abc ")]
    [InlineData("é")]
    public void Ids_that_are_not_lowercase_slugs_are_not_valid(string? id)
    {
        Assert.False(ConnectionId.IsValid(id));
    }

    [Theory]
    [InlineData("abc\n")]
    [InlineData("abc\r\n")]
    [InlineData("\nabc")]
    public void Ids_with_a_line_break_are_not_valid(string id)
    {
        Assert.False(ConnectionId.IsValid(id));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("btc-main")]
    [InlineData("-abc")]
    [InlineData("Abc")]
    [InlineData("a_b")]
    [InlineData("abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")]
    [InlineData("abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")]
    public void IsValid_agrees_with_the_published_pattern_on_single_line_input(string id)
    {
        Assert.Equal(Regex.IsMatch(id, ConnectionId.Pattern), ConnectionId.IsValid(id));
    }

    [Fact]
    public void The_pattern_is_the_one_of_the_spec()
    {
        Assert.Equal("^[a-z0-9][a-z0-9-]{0,62}$", ConnectionId.Pattern);
    }
}
