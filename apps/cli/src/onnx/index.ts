// ONNX pieces of the CLI: `resnet export --format onnx`. (`resnet predict --engine` runs on @resnet-ts/inference.)
export { exportModelAsOnnx, printOnnxExportReport, type OnnxExportFlags, type OnnxExportReport, type OnnxExportContext } from './export-onnx-file';
export { addOnnxExportOptions, checkOnnxFlags, EXPORT_FORMATS } from './export-options';
