using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Domain.UnitTests;

public class WorkerIdTests
{
    [TestCase("worker-1")]
    [TestCase("W")]
    [TestCase("9.node_a-b")]
    [TestCase("activex")]
    public void Ids_of_the_allowed_alphabet_are_valid(string value) => WorkerId.IsValid(value).Should().BeTrue();

    [TestCase(null)]
    [TestCase("")]
    [TestCase("-leading-dash")]
    [TestCase(".leading-dot")]
    [TestCase("has space")]
    [TestCase("slash/inside")]
    [TestCase("ünïcode")]
    [TestCase("active")]
    [TestCase("METADATA")]
    [TestCase("Counts")]
    [TestCase("tab\tinside")]
    public void Ids_outside_the_alphabet_or_reserved_are_invalid(string? value) => WorkerId.IsValid(value).Should().BeFalse();

    [Test]
    public void An_id_may_be_128_characters_but_not_129()
    {
        WorkerId.IsValid(new string('a', 128)).Should().BeTrue();
        WorkerId.IsValid(new string('a', 129)).Should().BeFalse();
    }

    [TestCase("w")]
    [TestCase("-")]
    [TestCase("_")]
    [TestCase("9.node_a-b")]
    [TestCase("active")]
    public void Prefixes_of_id_characters_are_valid_whatever_their_first_character(string value) =>
        WorkerId.IsValidPrefix(value).Should().BeTrue();

    [TestCase(null)]
    [TestCase("")]
    [TestCase("has space")]
    [TestCase("a%")]
    [TestCase("slash/")]
    [TestCase("ü")]
    public void Empty_prefixes_and_prefixes_with_a_character_no_id_holds_are_invalid(string? value) => WorkerId.IsValidPrefix(value).Should().BeFalse();

    [Test]
    public void A_prefix_may_be_as_long_as_an_id_but_no_longer()
    {
        WorkerId.IsValidPrefix(new string('a', 128)).Should().BeTrue();
        WorkerId.IsValidPrefix(new string('a', 129)).Should().BeFalse();
    }

    [Test]
    public void Creating_an_invalid_id_throws_naming_the_value() =>
        FluentActions.Invoking(() => WorkerId.From("bad id")).Should().Throw<ArgumentException>()
            .WithMessage("'bad id' is not a valid worker id.*").Which.ParamName.Should().Be("value");
}
