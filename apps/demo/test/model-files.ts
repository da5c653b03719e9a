/** Model folders made in the test, handed to the page as files. */
import { createModel, encodeModelFiles, modelCardFor, writeModelCard } from '@resnet-ts/zoo';
import * as tf from '@tensorflow/tfjs';
import type { ModelFile } from './demo-page';

/**
 * A model folder laid out as `resnet export` writes it: model.json with the model card in
 * `userDefinedMetadata`, `group1-shardNofM.bin` shards (the zoo's encoder) and classes.json.
 */
export async function exportedFolderFiles(classNames: string[]): Promise<ModelFile[]> {
  const options = { inputShape: [32, 32, 3] as [number, number, number], classes: classNames.length };
  const model = createModel('resnet18', options);
  writeModelCard(model, modelCardFor('resnet18', options, { classNames, preprocessing: { normalization: 'unit' }, weights: { source: 'trained' } }));
  let files: ModelFile[] = [];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      // uint8-quantised (the zoo's export option): a quarter of the bytes to hand to the page.
      const { modelJson, shards } = encodeModelFiles(artifacts, { quantize: 'uint8' });
      files = [
        { name: 'model.json', buffer: Buffer.from(JSON.stringify(modelJson)) },
        ...shards.map((s) => ({ name: s.name, buffer: Buffer.from(s.bytes) })),
        { name: 'classes.json', buffer: Buffer.from(JSON.stringify(classNames)) },
      ];
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return files;
}

