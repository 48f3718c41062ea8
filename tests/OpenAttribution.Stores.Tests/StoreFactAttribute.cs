using Xunit.Abstractions;
using Xunit.Sdk;

namespace OpenAttribution.Stores.Tests;

/// <summary>
/// A contract test (<see cref="EventStoreContract"/>): a <c>[Fact]</c> that also takes its skip reason
/// from a <see cref="FactAttribute"/> on the concrete test class, so a backend that needs a server
/// (e.g. <c>[PostgresFact]</c> on the PostgreSQL test class) skips the whole inherited suite when the
/// server is missing. Without such a class attribute it is a plain <c>[Fact]</c>.
/// </summary>
[XunitTestCaseDiscoverer("OpenAttribution.Stores.Tests.StoreFactDiscoverer", "OpenAttribution.Stores.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests as <see cref="StoreTestCase"/>s.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new StoreTestCase(
            diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

/// <summary>
/// A test case whose skip reason is the method's own, else that of a <see cref="FactAttribute"/> on
/// its test class. Evaluated again after de-serialization in the process that runs the tests.
/// </summary>
public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes", error: true)]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay methodDisplay, TestMethodDisplayOptions methodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, methodDisplay, methodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        base.GetSkipReason(factAttribute)
        ?? TestMethod.TestClass.Class.GetCustomAttributes(typeof(FactAttribute))
            .Select(a => a.GetNamedArgument<string>(nameof(FactAttribute.Skip)))
            .FirstOrDefault(reason => reason is not null)!;
}
