using CatWrangler.TestSupport;

// The converted model is built (or found in artifacts/models) once per test run.
[assembly: AssemblyFixture(typeof(ModelFixture))]
