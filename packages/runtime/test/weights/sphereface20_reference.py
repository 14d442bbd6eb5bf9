"""SphereFace-20 in PyTorch with random weights, saved as its two publishers saved theirs, and its
fc5 features on the test's faces: the reference the weight import is checked against.

Usage: python sphereface20_reference.py DIR
DIR holds images.u8 (N aligned 112x96 faces, RGB, uint8, row-major) and receives:
  sphere20a_zip.pth       torch.save of the state_dict (zip layout)
  sphere20a_legacy.pth    the same, _use_new_zipfile_serialization=False (legacy layout)
  sphereface.caffemodel   a Caffe NetParameter (layer, BlobShape, float data, param lr_mult), with
                          the residual convolutions' biases at 0 and lr_mult 0 as SphereFace's
  sphereface_v1.caffemodel  the same net as pre-2015 Caffe wrote it (V1 layers, 4-D num/channels/
                          height/width, double data, blobs_lr)
  features_torch.f64, features_caffe.f64   fc5 features (N x 512, float64) of the two nets
  bad_missing.pth, bad_extra.pth, bad_shape.caffemodel, evil.pth   files the import must refuse
Both publishers fed the network OpenCV's BGR images normalised as (pixel - 127.5) / 128.
"""
import collections
import copy
import os
import sys

import numpy as np
import torch
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

UNITS = (1, 2, 4, 1)
WIDTHS = (64, 128, 256, 512)
CLASSES = 10  # the A-Softmax layer fc6 (10,572 CASIA identities in the release) is dropped by FEM


class AngleHead(torch.nn.Module):
    """Stands in for fc6: only its weight, [512, classes], is in the state_dict."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.empty(512, CLASSES))


class SphereFace20(torch.nn.Module):
    def __init__(self):
        super().__init__()
        channels = 3
        for s, (units, width) in enumerate(zip(UNITS, WIDTHS), start=1):
            for j in range(1, 2 * units + 2):
                stride = 2 if j == 1 else 1
                self.add_module(f'conv{s}_{j}', torch.nn.Conv2d(channels if j == 1 else width, width, 3, stride, 1))
                self.add_module(f'relu{s}_{j}', torch.nn.PReLU(width))
            channels = width
        self.fc5 = torch.nn.Linear(512 * 7 * 6, 512)
        self.fc6 = AngleHead()

    def forward(self, x):
        def step(x, s, j):
            return getattr(self, f'relu{s}_{j}')(getattr(self, f'conv{s}_{j}')(x))

        for s, units in enumerate(UNITS, start=1):
            x = step(x, s, 1)
            for u in range(1, units + 1):
                x = x + step(step(x, s, 2 * u), s, 2 * u + 1)
        return self.fc5(torch.flatten(x, 1))


def randomise(net, generator):
    """Weights that keep activations near unit scale, every tensor different from its neighbours."""
    with torch.no_grad():
        for name, p in net.named_parameters():
            if name.endswith('.weight') and p.dim() == 4:
                p.normal_(0, 0.7 / np.sqrt(p.shape[1] * 9), generator=generator)
            elif name.startswith('relu'):
                p.uniform_(0.05, 0.5, generator=generator)
            elif name == 'fc5.weight':
                p.normal_(0, 4 / np.sqrt(p.shape[1]), generator=generator)
            else:
                p.normal_(0, 0.05, generator=generator)


def residual(name):
    """conv{s}_{j} with j > 1: a residual unit's convolution."""
    return name.startswith('conv') and not name.split('.')[0].endswith('_1')


def features(net, images):
    """fc5 of BGR, (x - 127.5) / 128 images, computed in float64."""
    bgr = images[..., ::-1].astype(np.float64)
    x = torch.from_numpy(np.ascontiguousarray(((bgr - 127.5) / 128).transpose(0, 3, 1, 2)))
    with torch.no_grad():
        return copy.deepcopy(net).double().eval()(x).numpy()


def caffe_messages():
    """The NetParameter subset the test writes, built with protobuf's descriptor API (caffe.proto's field numbers)."""
    f = descriptor_pb2.FileDescriptorProto(name='caffe_subset.proto', package='caffe', syntax='proto2')
    T = descriptor_pb2.FieldDescriptorProto
    def message(name, *fields):
        m = f.message_type.add(name=name)
        for field_name, number, kind, repeated, type_name in fields:
            fd = m.field.add(name=field_name, number=number, type=kind, label=T.LABEL_REPEATED if repeated else T.LABEL_OPTIONAL)
            if type_name:
                fd.type_name = '.caffe.' + type_name
            if repeated and kind not in (T.TYPE_MESSAGE, T.TYPE_STRING):
                fd.options.packed = True
    message('BlobShape', ('dim', 1, T.TYPE_INT64, True, None))
    message('BlobProto', ('num', 1, T.TYPE_INT32, False, None), ('channels', 2, T.TYPE_INT32, False, None),
            ('height', 3, T.TYPE_INT32, False, None), ('width', 4, T.TYPE_INT32, False, None),
            ('data', 5, T.TYPE_FLOAT, True, None), ('shape', 7, T.TYPE_MESSAGE, False, 'BlobShape'),
            ('double_data', 8, T.TYPE_DOUBLE, True, None))
    message('ParamSpec', ('lr_mult', 3, T.TYPE_FLOAT, False, None), ('decay_mult', 4, T.TYPE_FLOAT, False, None))
    message('LayerParameter', ('name', 1, T.TYPE_STRING, False, None), ('type', 2, T.TYPE_STRING, False, None),
            ('bottom', 3, T.TYPE_STRING, True, None), ('top', 4, T.TYPE_STRING, True, None),
            ('param', 6, T.TYPE_MESSAGE, True, 'ParamSpec'), ('blobs', 7, T.TYPE_MESSAGE, True, 'BlobProto'))
    message('V1LayerParameter', ('name', 4, T.TYPE_STRING, False, None), ('blobs', 6, T.TYPE_MESSAGE, True, 'BlobProto'),
            ('blobs_lr', 7, T.TYPE_FLOAT, True, None))
    message('NetParameter', ('name', 1, T.TYPE_STRING, False, None), ('layers', 2, T.TYPE_MESSAGE, True, 'V1LayerParameter'),
            ('layer', 100, T.TYPE_MESSAGE, True, 'LayerParameter'))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName('caffe.NetParameter'))


def caffe_layers(state):
    """(name, type, [(tensor, lr_mult or None)]) in network order, with Caffe's layouts (which PyTorch's
    equal); the multipliers are SphereFace's prototxt's, None where its PReLU layers have no param block."""
    layers = [('data', 'ImageData', [])]
    names = list(collections.OrderedDict.fromkeys(k.split('.')[0] for k in state))
    for name in names:
        if name.startswith('conv'):
            layers.append((name, 'Convolution', [(state[f'{name}.weight'], 1), (state[f'{name}.bias'], 0 if residual(name) else 2)]))
        elif name.startswith('relu'):
            layers.append((name, 'PReLU', [(state[f'{name}.weight'], None)]))
        elif name == 'fc5':
            layers.append((name, 'InnerProduct', [(state['fc5.weight'], 1), (state['fc5.bias'], 2)]))
        elif name == 'fc6':
            layers.append((name, 'MarginInnerProduct', [(state['fc6.weight'].t(), 1)]))
    layers.append(('softmax_loss', 'SoftmaxWithLoss', []))
    return layers


def write_caffemodel(path, state, v1=False):
    net = caffe_messages()(name='SpherefaceNet-20')
    for name, kind, blobs in caffe_layers(state):
        layer = net.layers.add(name=name) if v1 else net.layer.add(name=name, type=kind)
        for tensor, lr in blobs:
            values = tensor.detach().numpy()
            if v1:
                dims = [1] * (4 - values.ndim) + list(values.shape)
                layer.blobs.add(num=dims[0], channels=dims[1], height=dims[2], width=dims[3], double_data=values.astype(np.float64).ravel())
                layer.blobs_lr.append(1 if lr is None else lr)
            else:
                blob = layer.blobs.add(data=values.ravel())
                blob.shape.dim.extend(values.shape)
                if lr is not None:
                    layer.param.add(lr_mult=lr, decay_mult=1 if lr == 1 else 0)
    with open(path, 'wb') as f:
        f.write(net.SerializeToString())


class System:
    def __reduce__(self):
        return (os.system, ('echo pwned',))


def main(out):
    images = np.fromfile(os.path.join(out, 'images.u8'), dtype=np.uint8).reshape(-1, 112, 96, 3)
    torch.manual_seed(0)
    net = SphereFace20()
    randomise(net, torch.Generator().manual_seed(20))
    state = net.state_dict()
    torch.save(state, os.path.join(out, 'sphere20a_zip.pth'))
    torch.save(state, os.path.join(out, 'sphere20a_legacy.pth'), _use_new_zipfile_serialization=False)
    features(net, images).astype('<f8').tofile(os.path.join(out, 'features_torch.f64'))

    caffe = copy.deepcopy(net)
    with torch.no_grad():
        for name, p in caffe.named_parameters():
            if residual(name) and name.endswith('.bias'):
                p.zero_()
    caffe_state = caffe.state_dict()
    write_caffemodel(os.path.join(out, 'sphereface.caffemodel'), caffe_state)
    write_caffemodel(os.path.join(out, 'sphereface_v1.caffemodel'), caffe_state, v1=True)
    features(caffe, images).astype('<f8').tofile(os.path.join(out, 'features_caffe.f64'))

    missing = collections.OrderedDict((k, v) for k, v in state.items() if k != 'relu3_4.weight')
    torch.save(missing, os.path.join(out, 'bad_missing.pth'))
    extra = collections.OrderedDict(state)
    extra['conv5_1.weight'] = torch.zeros(2, 2)
    torch.save(extra, os.path.join(out, 'bad_extra.pth'))
    misshapen = collections.OrderedDict(caffe_state)
    misshapen['conv2_2.weight'] = misshapen['conv2_2.weight'][:, :, :1, :1].contiguous()
    write_caffemodel(os.path.join(out, 'bad_shape.caffemodel'), misshapen)
    torch.save(collections.OrderedDict([('conv1_1.weight', System())]), os.path.join(out, 'evil.pth'))


if __name__ == '__main__':
    main(sys.argv[1])
