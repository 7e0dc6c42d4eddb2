import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a tiny transformers.js "BERT" into `folder` for tests: a WordPiece tokenizer over a dozen
 * words and an ONNX graph that is one embedding lookup (Gather), so `last_hidden_state[b, t] =
 * table[input_ids[b, t]]` and the mean-pooled embedding of a text is the mean of its tokens' rows
 * ([CLS] and [SEP] included). The ONNX protobuf is encoded by hand (no onnx package needed).
 */
export const tinyVocab = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'fetal',
  'head',
  'is',
  'well',
  'seen',
  'femur',
  '##s',
  '.',
];
export const tinyDim = 4;

/** Row `id` of the embedding table: a fixed, easily recomputed pattern. */
export const tinyRow = (id: number): number[] =>
  Array.from({ length: tinyDim }, (_, d) => Math.round(Math.sin(id * 0.7 + d * 1.3) * 1000) / 1000);

// --- minimal protobuf writer -------------------------------------------------------------------
const varint = (n: number | bigint): number[] => {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
};
const key = (field: number, wire: number) => varint((field << 3) | wire);
const vint = (field: number, n: number | bigint) => [...key(field, 0), ...varint(n)];
const bytes = (field: number, b: ArrayLike<number>) => [
  ...key(field, 2),
  ...varint(b.length),
  ...Array.from(b),
];
const str = (field: number, s: string) => bytes(field, new TextEncoder().encode(s));

const dim = (d: number | string) => (typeof d === 'number' ? vint(1, d) : str(2, d));
const valueInfo = (name: string, elemType: number, dims: Array<number | string>) => [
  ...str(1, name),
  ...bytes(
    2,
    bytes(1, [
      ...vint(1, elemType),
      ...bytes(
        2,
        dims.flatMap((d) => bytes(1, dim(d))),
      ),
    ]),
  ),
];

const tinyOnnx = (): Uint8Array => {
  const table = new Float32Array(tinyVocab.flatMap((_, id) => tinyRow(id)));
  const tensor = [
    ...vint(1, tinyVocab.length),
    ...vint(1, tinyDim),
    ...vint(2, 1), // FLOAT
    ...str(8, 'embeddings'),
    ...bytes(9, new Uint8Array(table.buffer)),
  ];
  const node = [
    ...str(1, 'embeddings'),
    ...str(1, 'input_ids'),
    ...str(2, 'last_hidden_state'),
    ...str(3, 'lookup'),
    ...str(4, 'Gather'),
  ];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'tiny-bert'),
    ...bytes(5, tensor),
    ...bytes(11, valueInfo('input_ids', 7, ['batch', 'sequence'])), // INT64
    ...bytes(11, valueInfo('attention_mask', 7, ['batch', 'sequence'])),
    ...bytes(12, valueInfo('last_hidden_state', 1, ['batch', 'sequence', tinyDim])),
  ];
  return new Uint8Array([
    ...vint(1, 8),
    ...str(2, 'sonofuse-test'),
    ...bytes(7, graph),
    ...bytes(8, [...str(1, ''), ...vint(2, 13)]),
  ]);
};

const special = (id: number, content: string) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/** Writes config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx into `folder`. */
export const writeTinyHfModel = (folder: string): void => {
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  writeFileSync(join(folder, 'onnx', 'model.onnx'), tinyOnnx());
  const config = {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: tinyDim,
    vocab_size: tinyVocab.length,
  };
  writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '[PAD]'), special(1, '[UNK]'), special(2, '[CLS]'), special(3, '[SEP]')],
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(tinyVocab.map((w, i) => [w, i])),
    },
  };
  writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(tokenizer));
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 64,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
  };
  writeFileSync(join(folder, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
};
