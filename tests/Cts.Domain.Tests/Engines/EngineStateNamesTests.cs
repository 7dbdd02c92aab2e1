using Cts.Domain.Engines;

namespace Cts.Domain.Tests.Engines;

public sealed class EngineStateNamesTests
{
    [Fact]
    public void Every_state_is_named_as_the_enum_names_it_by_one_string_for_the_process()
    {
        foreach (var state in Enum.GetValues<EngineState>())
        {
            Assert.Equal(state.ToString(), state.Name());
            Assert.Same(state.Name(), state.Name());
        }
    }

    [Fact]
    public void An_undefined_value_is_named_by_its_number()
    {
        Assert.Equal("42", ((EngineState)42).Name());
    }
}
