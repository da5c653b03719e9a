;; SIMD kernels of @resnet-ts/kernels, run on the memory of the tfjs wasm backend.
;;
;; The module owns no memory, data or stack: it imports the backend's linear memory and every
;; argument is a byte address of a tensor the backend allocated. Leaf functions with wasm locals
;; only, so nothing here ever writes outside the outputs it is given.
;;
;; Built by scripts/build-simd-module.mjs (wabt) into src/wasm/simd-module-binary.generated.ts,
;; twice: with a shared memory import (threaded tfjs build) and an unshared one. The line marked
;; MEMORY-IMPORT is the only difference.
(module
  (import "env" "memory" (memory 1 65536 shared)) ;; MEMORY-IMPORT

  ;; One Adam step over n float32 elements (Keras's update, AdamW's decoupled decay):
  ;;   m' = beta1 m + (1 - beta1) g
  ;;   v' = beta2 v + (1 - beta2) g^2
  ;;   x' = keep x - stepScale m' / (sqrt(v' invBc2) + eps)
  ;; with stepScale = lr / (1 - beta1^t), invBc2 = 1 / (1 - beta2^t), keep = 1 - lr * decay.
  (func (export "adam")
    (param $x i32) (param $m i32) (param $v i32) (param $g i32)
    (param $xo i32) (param $mo i32) (param $vo i32) (param $n i32)
    (param $stepScale f32) (param $beta1 f32) (param $beta2 f32) (param $invBc2 f32) (param $eps f32) (param $keep f32)
    (local $i i32) (local $end4 i32) (local $off i32)
    (local $b1 v128) (local $b2 v128) (local $c1 v128) (local $c2 v128)
    (local $ss v128) (local $ib v128) (local $ep v128) (local $kp v128)
    (local $gv v128) (local $m1 v128) (local $v1 v128)
    (local $gs f32) (local $m1s f32) (local $v1s f32)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $c1 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta1))))
    (local.set $c2 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta2))))
    (local.set $ss (f32x4.splat (local.get $stepScale)))
    (local.set $ib (f32x4.splat (local.get $invBc2)))
    (local.set $ep (f32x4.splat (local.get $eps)))
    (local.set $kp (f32x4.splat (local.get $keep)))
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $off))))
        (local.set $m1
          (f32x4.add
            (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $m) (local.get $off))))
            (f32x4.mul (local.get $c1) (local.get $gv))))
        (local.set $v1
          (f32x4.add
            (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $v) (local.get $off))))
            (f32x4.mul (local.get $c2) (f32x4.mul (local.get $gv) (local.get $gv)))))
        (v128.store (i32.add (local.get $mo) (local.get $off)) (local.get $m1))
        (v128.store (i32.add (local.get $vo) (local.get $off)) (local.get $v1))
        (v128.store (i32.add (local.get $xo) (local.get $off))
          (f32x4.sub
            (f32x4.mul (local.get $kp) (v128.load (i32.add (local.get $x) (local.get $off))))
            (f32x4.div
              (f32x4.mul (local.get $ss) (local.get $m1))
              (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $v1) (local.get $ib))) (local.get $ep)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $off))))
        (local.set $m1s
          (f32.add
            (f32.mul (local.get $beta1) (f32.load (i32.add (local.get $m) (local.get $off))))
            (f32.mul (f32.sub (f32.const 1) (local.get $beta1)) (local.get $gs))))
        (local.set $v1s
          (f32.add
            (f32.mul (local.get $beta2) (f32.load (i32.add (local.get $v) (local.get $off))))
            (f32.mul (f32.sub (f32.const 1) (local.get $beta2)) (f32.mul (local.get $gs) (local.get $gs)))))
        (f32.store (i32.add (local.get $mo) (local.get $off)) (local.get $m1s))
        (f32.store (i32.add (local.get $vo) (local.get $off)) (local.get $v1s))
        (f32.store (i32.add (local.get $xo) (local.get $off))
          (f32.sub
            (f32.mul (local.get $keep) (f32.load (i32.add (local.get $x) (local.get $off))))
            (f32.div
              (f32.mul (local.get $stepScale) (local.get $m1s))
              (f32.add (f32.sqrt (f32.mul (local.get $v1s) (local.get $invBc2))) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; Column sums of a row-major [rows, cols] float32 matrix, times `scale`, into out[cols]
  ;; (float32): reductions over the leading axes of NHWC (BatchNorm statistics and gradients, bias
  ;; gradients). Accumulates in float64 in `acc` (cols float64 scratch, 8-byte aligned).
  (func (export "col_sum")
    (param $src i32) (param $rows i32) (param $cols i32) (param $acc i32) (param $out i32) (param $scale f64)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $row i32) (local $a i32) (local $xv v128)
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (block $zeroDone
      (loop $zero
        (br_if $zeroDone (i32.ge_u (local.get $c) (local.get $cols)))
        (f64.store (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))) (f64.const 0))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $zero)))
    (local.set $row (local.get $src))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.ge_u (local.get $c) (local.get $cols4)))
            (local.set $xv (v128.load (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2)))))
            (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))
            (v128.store (local.get $a)
              (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (local.get $xv))))
            (v128.store offset=16 (local.get $a)
              (f64x2.add
                (v128.load offset=16 (local.get $a))
                (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $xv) (local.get $xv)))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vectors)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3))))
            (f64.store (local.get $a)
              (f64.add
                (f64.load (local.get $a))
                (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop)))
    (local.set $c (i32.const 0))
    (block $outDone
      (loop $outLoop
        (br_if $outDone (i32.ge_u (local.get $c) (local.get $cols)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
          (f32.demote_f64
            (f64.mul (f64.load (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 3)))) (local.get $scale))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $outLoop))))

  ;; dst[cols, rows] = transpose of src[rows, cols] (float32, row-major): 4x4 tiles moved with
  ;; shuffles, scalar loops for the edges. Callers loop over batches of matrices.
  (func (export "transpose2d") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $i i32) (local $j i32) (local $rows4 i32) (local $cols4 i32) (local $rowBytes i32) (local $colBytes i32)
    (local $s i32) (local $d i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $colBytes (i32.shl (local.get $rows) (i32.const 2)))
    (block $tilesDone
      (loop $tileRows
        (br_if $tilesDone (i32.ge_u (local.get $i) (local.get $rows4)))
        (local.set $j (i32.const 0))
        (block $rowDone
          (loop $tileCols
            (br_if $rowDone (i32.ge_u (local.get $j) (local.get $cols4)))
            ;; s = &src[i, j]; d = &dst[j, i]
            (local.set $s (i32.add (local.get $src)
              (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $d (i32.add (local.get $dst)
              (i32.add (i32.mul (local.get $j) (local.get $colBytes)) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $r0 (v128.load (local.get $s)))
            (local.set $r1 (v128.load (i32.add (local.get $s) (local.get $rowBytes))))
            (local.set $r2 (v128.load (i32.add (local.get $s) (i32.shl (local.get $rowBytes) (i32.const 1)))))
            (local.set $r3 (v128.load (i32.add (local.get $s) (i32.mul (local.get $rowBytes) (i32.const 3)))))
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
            (v128.store (local.get $d)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (local.get $colBytes))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (i32.shl (local.get $colBytes) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $d) (i32.mul (local.get $colBytes) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $tileCols)))
        ;; Right edge of these four rows.
        (block $edgeDone
          (loop $edge
            (br_if $edgeDone (i32.ge_u (local.get $j) (local.get $cols)))
            (call $copyColumn (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols)
              (local.get $i) (i32.add (local.get $i) (i32.const 4)) (local.get $j))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $edge)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tileRows)))
    ;; Bottom edge: the last rows % 4 rows, every column.
    (local.set $j (i32.const 0))
    (block $bottomDone
      (loop $bottom
        (br_if $bottomDone (i32.ge_u (local.get $j) (local.get $cols)))
        (call $copyColumn (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols)
          (local.get $rows4) (local.get $rows) (local.get $j))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $bottom))))

  ;; dst[j, from..to) = src[from..to, j] for one column j of src[rows, cols].
  (func $copyColumn (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (param $from i32) (param $to i32) (param $j i32)
    (local $i i32)
    (local.set $i (local.get $from))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (local.get $to)))
        (f32.store
          (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 2)))
          (f32.load
            (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy))))

  ;; dst[r, c] = src[r, c] * scale[c] + shift[c] for a row-major [rows, cols] float32 matrix: batch
  ;; normalization with per-channel statistics folded into one multiply-add.
  (func (export "channel_affine")
    (param $src i32) (param $rows i32) (param $cols i32) (param $scale i32) (param $shift i32) (param $dst i32)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $in i32) (local $out i32) (local $at i32)
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $in (local.get $src))
    (local.set $out (local.get $dst))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.ge_u (local.get $c) (local.get $cols4)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (v128.store (i32.add (local.get $out) (local.get $at))
              (f32x4.add
                (f32x4.mul (v128.load (i32.add (local.get $in) (local.get $at))) (v128.load (i32.add (local.get $scale) (local.get $at))))
                (v128.load (i32.add (local.get $shift) (local.get $at)))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vectors)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (f32.store (i32.add (local.get $out) (local.get $at))
              (f32.add
                (f32.mul (f32.load (i32.add (local.get $in) (local.get $at))) (f32.load (i32.add (local.get $scale) (local.get $at))))
                (f32.load (i32.add (local.get $shift) (local.get $at)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        (local.set $in (i32.add (local.get $in) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop))))

  ;; dst[i] = max(src[i], 0) over n float32 values (NaN stays NaN).
  (func (export "relu") (param $src i32) (param $n i32) (param $dst i32)
    (local $i i32) (local $end4 i32) (local $at i32) (local $zero v128)
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $zero (f32x4.splat (f32.const 0)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (v128.store (i32.add (local.get $dst) (local.get $at))
          (f32x4.max (v128.load (i32.add (local.get $src) (local.get $at))) (local.get $zero)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (f32.store (i32.add (local.get $dst) (local.get $at))
          (f32.max (f32.load (i32.add (local.get $src) (local.get $at))) (f32.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; Copies images x rows runs of `length` float32 values into dst, packed one after another: run
  ;; (n, r) starts at src + n * imageStride + r * rowStride (strides in floats), its values `step`
  ;; floats apart (the convolution stride). im2col for the filter gradient, one filter tap and
  ;; channel per call; SIMD when step is 1.
  (func (export "gather_runs")
    (param $src i32) (param $dst i32) (param $images i32) (param $imageStride i32)
    (param $rows i32) (param $rowStride i32) (param $length i32) (param $step i32)
    (local $n i32) (local $r i32) (local $i i32) (local $length4 i32) (local $from i32) (local $to i32)
    (local.set $length4 (i32.and (local.get $length) (i32.const -4)))
    (local.set $to (local.get $dst))
    (block $imagesDone
      (loop $imagesLoop
        (br_if $imagesDone (i32.ge_u (local.get $n) (local.get $images)))
        (local.set $r (i32.const 0))
        (block $rowsDone
          (loop $rowsLoop
            (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $from (i32.add (local.get $src)
              (i32.shl
                (i32.add (i32.mul (local.get $n) (local.get $imageStride)) (i32.mul (local.get $r) (local.get $rowStride)))
                (i32.const 2))))
            (local.set $i (i32.const 0))
            (if (i32.eq (local.get $step) (i32.const 1))
              (then
                (block $vectorsDone
                  (loop $vectors
                    (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $length4)))
                    (v128.store (i32.add (local.get $to) (i32.shl (local.get $i) (i32.const 2)))
                      (v128.load (i32.add (local.get $from) (i32.shl (local.get $i) (i32.const 2)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 4)))
                    (br $vectors)))))
            (block $tailDone
              (loop $tail
                (br_if $tailDone (i32.ge_u (local.get $i) (local.get $length)))
                (f32.store (i32.add (local.get $to) (i32.shl (local.get $i) (i32.const 2)))
                  (f32.load (i32.add (local.get $from) (i32.shl (i32.mul (local.get $i) (local.get $step)) (i32.const 2)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $tail)))
            (local.set $to (i32.add (local.get $to) (i32.shl (local.get $length) (i32.const 2))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rowsLoop)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $imagesLoop))))
)
