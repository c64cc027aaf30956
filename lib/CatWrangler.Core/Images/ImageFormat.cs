namespace CatWrangler.Core.Images;

public enum ImageFormat { Jpeg, Png }
