"""Writes a seeded, randomly initialised torchvision ResNet as safetensors, plus an input and its logits.

Usage: python3 write_state_dict.py <resnet18|resnet50|...> <out_dir> [classes] [size]

out_dir/state_dict.safetensors: model.state_dict() (torchvision names, NCHW/OIHW layouts)
out_dir/io.safetensors: "input" [2, 3, size, size] and "logits" [2, classes] from model.eval()

The safetensors format is written by hand (8-byte little-endian header length, JSON header, packed
little-endian data), so the python `safetensors` package is not needed.
"""
import json
import struct
import sys

import torch
import torchvision

DTYPES = {torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.int64: 'I64'}


def save_safetensors(tensors, path):
    header, blobs, offset = {'__metadata__': {'format': 'pt'}}, [], 0
    for name, tensor in tensors.items():
        tensor = tensor.detach().contiguous().cpu()
        data = tensor.view(torch.uint8).numpy().tobytes() if tensor.dim() > 0 else tensor.reshape(1).view(torch.uint8).numpy().tobytes()
        header[name] = {'dtype': DTYPES[tensor.dtype], 'shape': list(tensor.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def main():
    name, out_dir = sys.argv[1], sys.argv[2]
    classes = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(num_classes=classes)
    # Non-trivial BatchNorms, so a swapped gamma/beta or mean/variance shows in the logits.
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                n = module.num_features
                module.weight.copy_(torch.rand(n, generator=generator) * 0.5 + 0.5)
                module.bias.copy_(torch.rand(n, generator=generator) * 0.2 - 0.1)
                module.running_mean.copy_(torch.rand(n, generator=generator) * 0.2 - 0.1)
                module.running_var.copy_(torch.rand(n, generator=generator) + 0.5)
    model.eval()
    image = torch.rand(2, 3, size, size, generator=generator) * 2 - 1
    with torch.no_grad():
        logits = model(image)
    save_safetensors(model.state_dict(), f'{out_dir}/state_dict.safetensors')
    save_safetensors({'input': image, 'logits': logits}, f'{out_dir}/io.safetensors')


if __name__ == '__main__':
    main()
