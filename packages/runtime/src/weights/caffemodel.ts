/**
 * A Caffe .caffemodel: a binary protobuf NetParameter. Only what weights need is described, with
 * the field numbers Caffe's caffe.proto gives them; protobuf skips every other field. A net lists
 * its layers as `layer` (LayerParameter, field 100) or, before 2015, `layers` (V1LayerParameter,
 * field 2). A layer's blobs are its tensors in order (a convolution's weight then bias; a PReLU's
 * slopes); each has a `shape`, or the legacy 4-D num/channels/height/width, and float or double data.
 * A layer's `param` specs (or a V1 layer's blobs_lr) give each blob's learning-rate multiplier,
 * 1 when absent.
 */
import protobuf from 'protobufjs';
import { WeightsImportError, type SourceTensor } from './source-tensor.js';

const SCHEMA = `
syntax = "proto2";
message NetParameter {
  repeated V1LayerParameter layers = 2;
  repeated LayerParameter layer = 100;
}
message LayerParameter {
  optional string name = 1;
  optional string type = 2;
  repeated ParamSpec param = 6;
  repeated BlobProto blobs = 7;
}
message V1LayerParameter {
  optional string name = 4;
  repeated BlobProto blobs = 6;
  repeated float blobs_lr = 7;
}
message ParamSpec {
  optional float lr_mult = 3 [default = 1];
}
message BlobShape {
  repeated int64 dim = 1 [packed = true];
}
message BlobProto {
  optional int32 num = 1;
  optional int32 channels = 2;
  optional int32 height = 3;
  optional int32 width = 4;
  repeated float data = 5 [packed = true];
  optional BlobShape shape = 7;
  repeated double double_data = 8 [packed = true];
}
`;

interface BlobProto {
    num: number;
    channels: number;
    height: number;
    width: number;
    data: number[];
    shape?: { dim: Array<number | { toNumber(): number }> } | null;
    double_data: number[];
}

interface Layer {
    name: string;
    blobs: BlobProto[];
    param?: Array<{ lr_mult: number }>;
    blobs_lr?: number[];
}

const netParameter = protobuf.parse(SCHEMA, { keepCase: true }).root.lookupType('NetParameter');

/** A blob of the net: its tensor, and whether Caffe trained it (lr_mult other than 0). */
export interface CaffeBlob extends SourceTensor {
    trained: boolean;
}

/**
 * The net's blobs, named as PyTorch names the same tensors (`<layer>.weight` for the first blob,
 * `<layer>.bias` for the second) so that both sources map onto FEM alike.
 */
export function readCaffemodel(bytes: Uint8Array, file: string): Map<string, CaffeBlob> {
    let net: { layer: Layer[]; layers: Layer[] };
    try {
        net = netParameter.decode(bytes) as unknown as typeof net;
    } catch (error) {
        throw new WeightsImportError(file, `is neither a torch.save file nor a Caffe NetParameter (${(error as Error).message})`);
    }
    const blobs = new Map<string, CaffeBlob>();
    for (const layer of [...net.layers, ...net.layer]) {
        layer.blobs.forEach((blob, i) => {
            const name = `${layer.name}.${['weight', 'bias'][i] ?? `blob${i}`}`;
            if (blobs.has(name)) throw new WeightsImportError(file, `layer ${layer.name} appears twice`);
            const lr = layer.param?.[i]?.lr_mult ?? layer.blobs_lr?.[i] ?? 1;
            blobs.set(name, { name, ...tensorOf(blob, name, file), trained: lr !== 0 });
        });
    }
    if (blobs.size === 0) throw new WeightsImportError(file, 'is neither a torch.save file nor a Caffe model with weights: no layer has blobs');
    return blobs;
}

function tensorOf(blob: BlobProto, name: string, file: string): { shape: number[]; values: Float32Array } {
    // Legacy blobs are always 4-D, padded with leading 1s ([1, 1, 1, 64] for 64 biases).
    const shape = blob.shape ? blob.shape.dim.map(Number) : [blob.num, blob.channels, blob.height, blob.width];
    const count = shape.reduce((a, b) => a * b, 1);
    const source = blob.data.length > 0 ? blob.data : blob.double_data;
    if (source.length !== count) throw new WeightsImportError(file, `blob ${name} has shape [${shape}] (${count} values) but holds ${source.length}`);
    return { shape, values: Float32Array.from(source) };
}
