using CatWrangler.TestSupport;

// The converted model is built (or found in artifacts/models) once per test run; `catscan scan` classifies with it.
[assembly: AssemblyFixture(typeof(ModelFixture))]
