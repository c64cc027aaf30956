namespace CatWrangler.Detection.Onnx;

public enum TtaMode { Auto, None, Always }
