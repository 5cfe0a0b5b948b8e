/**
 * torch <-> tfjs tensor layouts: conv weights OIHW <-> HWIO, linear weights
 * [out, in] <-> [in, out]; vectors are the same in both.
 */
export function torchShape(tfjsShape: readonly number[]): number[] {
  if (tfjsShape.length === 4) return [tfjsShape[3], tfjsShape[2], tfjsShape[0], tfjsShape[1]];
  if (tfjsShape.length === 2) return [tfjsShape[1], tfjsShape[0]];
  return [...tfjsShape];
}

/** Reorders torch-layout values (shape `torch`) into tfjs layout. */
export function fromTorchLayout(values: Float32Array, torch: readonly number[]): Float32Array {
  if (torch.length === 4) {
    const [o, i, h, w] = torch;
    const out = new Float32Array(values.length);
    let from = 0;
    for (let oo = 0; oo < o; oo++)
      for (let ii = 0; ii < i; ii++)
        for (let hh = 0; hh < h; hh++)
          for (let ww = 0; ww < w; ww++) out[((hh * w + ww) * i + ii) * o + oo] = values[from++];
    return out;
  }
  if (torch.length === 2) return transpose2d(values, torch[0], torch[1]);
  return values;
}

/** Reorders tfjs-layout values (shape `tfjs`) into torch layout. */
export function toTorchLayout(values: Float32Array, tfjs: readonly number[]): Float32Array {
  if (tfjs.length === 4) {
    const [h, w, i, o] = tfjs;
    const out = new Float32Array(values.length);
    let from = 0;
    for (let hh = 0; hh < h; hh++)
      for (let ww = 0; ww < w; ww++)
        for (let ii = 0; ii < i; ii++)
          for (let oo = 0; oo < o; oo++) out[((oo * i + ii) * h + hh) * w + ww] = values[from++];
    return out;
  }
  if (tfjs.length === 2) return transpose2d(values, tfjs[0], tfjs[1]);
  return values;
}

function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}
