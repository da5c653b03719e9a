// Benchmarks entry point; sections are added by the kernels, data and onnx work.
console.log('no benchmark sections yet');
