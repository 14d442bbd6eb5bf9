"""SphereFace-N in PyTorch, the same network as packages/runtime/src/model/fem.ts, timed the same way
as bench/training.ts times ours: images per second for a training step (forward, smooth-L1 loss on a
5-output head, backward, SGD update) and for inference. Run by bench/training.ts, interleaved with
our runs so both see the same machine load. Prints one JSON object.

usage: python3 torch_sphereface.py DEPTH HEIGHT WIDTH BATCH STEPS THREADS
"""
import json
import sys
import time

import torch
from torch import nn

UNITS = {4: (0, 0, 0, 0), 10: (0, 1, 2, 0), 20: (1, 2, 4, 1), 36: (2, 4, 8, 2), 64: (3, 8, 16, 3)}


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1), nn.PReLU(c), nn.Conv2d(c, c, 3, 1, 1), nn.PReLU(c))

    def forward(self, x):
        return x + self.body(x)


def sphereface(depth, height, width):
    layers, cin = [], 3
    for cout, units in zip((64, 128, 256, 512), UNITS[depth]):
        layers += [nn.Conv2d(cin, cout, 3, 2, 1), nn.PReLU(cout)]
        layers += [Residual(cout) for _ in range(units)]
        cin = cout
    h, w = height, width
    for _ in range(4):
        h, w = (h + 1) // 2, (w + 1) // 2
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(512 * h * w, 512), nn.Linear(512, 5))


def main():
    depth, height, width, batch, steps, threads = map(int, sys.argv[1:7])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = sphereface(depth, height, width)
    opt = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    x = torch.randn(batch, 3, height, width)
    y = torch.rand(batch, 5)

    def train_step():
        opt.zero_grad()
        loss = nn.functional.smooth_l1_loss(torch.sigmoid(net(x)), y, beta=0.05)
        loss.backward()
        opt.step()

    train_step()  # warm-up
    t = time.perf_counter()
    for _ in range(steps):
        train_step()
    train = batch * steps / (time.perf_counter() - t)
    with torch.no_grad():
        net(x)
        t = time.perf_counter()
        for _ in range(steps):
            net(x)
        infer = batch * steps / (time.perf_counter() - t)
    print(json.dumps({"train_images_per_s": train, "infer_images_per_s": infer,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
