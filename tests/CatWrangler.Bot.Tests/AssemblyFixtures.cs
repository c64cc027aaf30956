using CatWrangler.TestSupport;

[assembly: AssemblyFixture(typeof(ModelFixture))]
