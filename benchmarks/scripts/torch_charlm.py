"""PyTorch's version of the character-level language model recipes of vecgrad's CharLmExample
(`vecgrad example charlm --arch lstm|transformer`), for the two comparisons the example is held
to: the validation loss after the same number of steps, and the training step's time.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/scripts/torch_charlm.py \
        --arch lstm --mode train --steps 2000
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/scripts/torch_charlm.py \
        --arch transformer --mode step

Same data and recipe as the Java example: the bundled text (engine-train's resource
fortunes.txt.gz) split 90/10 at the same character; ids from a character vocabulary ("" and
"[UNK]" first, then characters by decreasing count, ties in code-point order); every window of 64
characters with its one-shifted targets, shuffled, 32 to a batch; Adam (lr 2e-3, epsilon 1e-7 as
Keras) on the mean cross-entropy of logits; validation over the validation text's
non-overlapping windows. The models and their initial weights follow Keras's defaults as vecgrad
has them (Glorot-uniform kernels with Keras's fans, orthogonal recurrent kernels, zero biases
with the LSTM's forget gate at one, uniform(-0.05, 0.05) token embeddings, Glorot-uniform position
embeddings):
  lstm:        Embedding 64, LSTM 256 (sequences), LSTM 256 (sequences), Linear to the vocabulary;
  transformer: token + position embeddings of 128 over 64 positions, two pre-LN blocks (4 heads of
               32, softmax(q k^T / sqrt(32)) v with a causal mask, feed-forward 512 with exact
               GELU, layer norms with epsilon 1e-5), a final layer norm, Linear to the vocabulary.
The random streams differ from vecgrad's (initial weights, window order), so losses agree as
training runs agree across seeds, not to the last digit.

--mode train runs --steps steps and prints the validation loss; --mode step times the training
step (zero_grad, forward, loss, backward, Adam) on fixed random batches as the JMH benchmark
CharLmStepBenchmark does: --warmup-iterations then --iterations of --seconds each, reporting wall
and process CPU milliseconds per step. One thread unless --threads says otherwise (torch_threads.py
says why OpenBLAS needs the environment variable too).
"""
import argparse
import gzip
import json
import math
import os
import statistics
import time
from collections import Counter

from peer_timing import iterations
from torch_threads import torch_on

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "engine-train", "src", "main", "resources", "dev", "vecgrad", "train",
                      "examples", "fortunes.txt.gz")


def vocabulary(text):
    counts = Counter(text)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    vocab = ["", "[UNK]"] + [c for c, _ in ordered]
    return vocab, {c: i for i, c in enumerate(vocab)}


def build(torch, arch, vocab, context):
    from torch import nn
    import torch.nn.functional as F

    def glorot(t, fan_in, fan_out):
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        with torch.no_grad():
            t.uniform_(-limit, limit)

    def dense(n_in, n_out, bias=True):
        lin = nn.Linear(n_in, n_out, bias=bias)
        glorot(lin.weight, n_in, n_out)
        if bias:
            nn.init.zeros_(lin.bias)
        return lin

    if arch == "lstm":
        class Lstm(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(vocab, 64)
                nn.init.uniform_(self.emb.weight, -0.05, 0.05)
                self.rnn = nn.LSTM(64, 256, num_layers=2, batch_first=True)
                for layer, n_in in ((0, 64), (1, 256)):
                    w_ih = getattr(self.rnn, f"weight_ih_l{layer}")
                    w_hh = getattr(self.rnn, f"weight_hh_l{layer}")
                    glorot(w_ih, n_in, 4 * 256)
                    nn.init.orthogonal_(w_hh)
                    b_ih = getattr(self.rnn, f"bias_ih_l{layer}")
                    b_hh = getattr(self.rnn, f"bias_hh_l{layer}")
                    with torch.no_grad():
                        b_ih.zero_()
                        b_ih[256:512] = 1.0
                        b_hh.zero_()
                self.out = dense(256, vocab)

            def forward(self, x):
                h, _ = self.rnn(self.emb(x))
                return self.out(h)

        return Lstm()

    width, heads, ff = 128, 4, 512
    key_dim = width // heads
    causal = torch.triu(torch.ones(context, context, dtype=torch.bool), diagonal=1)

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1 = nn.LayerNorm(width, eps=1e-5)
            self.ln2 = nn.LayerNorm(width, eps=1e-5)
            # Keras's fans for MultiHeadAttention's (features, heads, key_dim) kernels: the receptive
            # field is the first axis, so fan_in = heads * features and fan_out = key_dim * features.
            self.q, self.k, self.v = (dense(width, width) for _ in range(3))
            for lin in (self.q, self.k, self.v):
                glorot(lin.weight, heads * width, key_dim * width)
            self.o = dense(width, width)
            glorot(self.o.weight, key_dim * heads, width * heads)   # (heads, value_dim, out)
            self.ff1 = dense(width, ff)
            self.ff2 = dense(ff, width)

        def forward(self, x):
            b, t, _ = x.shape
            h = self.ln1(x)
            split = lambda z: z.view(b, t, heads, key_dim).transpose(1, 2)
            scores = split(self.q(h)) @ split(self.k(h)).transpose(-2, -1) / math.sqrt(key_dim)
            scores = scores.masked_fill(causal[:t, :t], float("-inf"))
            a = torch.softmax(scores, dim=-1) @ split(self.v(h))
            x = x + self.o(a.transpose(1, 2).reshape(b, t, width))
            return x + self.ff2(F.gelu(self.ff1(self.ln2(x))))

    class Transformer(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok = nn.Embedding(vocab, width)
            nn.init.uniform_(self.tok.weight, -0.05, 0.05)
            self.pos = nn.Parameter(torch.empty(context, width))
            glorot(self.pos, context, width)
            self.blocks = nn.ModuleList([Block(), Block()])
            self.ln = nn.LayerNorm(width, eps=1e-5)
            self.out = dense(width, vocab)

        def forward(self, x):
            h = self.tok(x) + self.pos[: x.shape[1]]
            for blk in self.blocks:
                h = blk(h)
            return self.out(self.ln(h))

    return Transformer()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", choices=["lstm", "transformer"], default="lstm")
    p.add_argument("--mode", choices=["train", "step"], default="train")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--context", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup-iterations", type=int, default=3)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--seconds", type=float, default=4.0)
    a = p.parse_args()
    torch = torch_on(a.threads)
    import torch.nn.functional as F
    torch.manual_seed(a.seed)

    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        text = f.read()
    vocab, index = vocabulary(text)
    split = len(text) * 9 // 10
    train_ids = torch.tensor([index[c] for c in text[:split]], dtype=torch.long)
    valid_ids = torch.tensor([index[c] for c in text[split:]], dtype=torch.long)
    ctx, bs = a.context, a.batch_size

    model = build(torch, a.arch, len(vocab), ctx)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, eps=1e-7)

    def step(x, y):
        opt.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        loss.backward()
        opt.step()
        return loss

    offsets = torch.arange(ctx)
    if a.mode == "step":
        g = torch.Generator().manual_seed(a.seed)
        starts = torch.randint(0, len(train_ids) - ctx - 1, (bs,), generator=g)
        x = train_ids[starts[:, None] + offsets]
        y = train_ids[starts[:, None] + offsets + 1]
        results = iterations(lambda: step(x, y), a.warmup_iterations, a.iterations, a.seconds)
        walls = [w for w, _ in results]
        cpus = [c for _, c in results]
        print(json.dumps({"arch": a.arch, "step_ms": statistics.mean(walls), "step_ms_min": min(walls),
                          "cpu_ms": statistics.mean(cpus), "threads": a.threads, "torch": torch.__version__}))
        return

    windows = len(train_ids) - ctx
    order = torch.randperm(windows)
    pos = 0
    start = time.perf_counter()
    model.train()
    for s in range(a.steps):
        if pos + bs > windows:
            order = torch.randperm(windows)
            pos = 0
        idx = order[pos:pos + bs]
        pos += bs
        loss = step(train_ids[idx[:, None] + offsets], train_ids[idx[:, None] + offsets + 1])
        if (s + 1) % max(1, a.steps // 10) == 0:
            print(f"step {s + 1}: loss {loss.item():.4f}", flush=True)
    seconds = time.perf_counter() - start

    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        n = (len(valid_ids) - 1) // ctx
        starts = torch.arange(n) * ctx
        for b in range(0, n, bs):
            s = starts[b:b + bs]
            logits = model(valid_ids[s[:, None] + offsets])
            y = valid_ids[s[:, None] + offsets + 1]
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum").item()
            count += y.numel()
    print(json.dumps({"arch": a.arch, "steps": a.steps, "val_loss": total / count, "train_seconds": seconds,
                      "threads": a.threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
