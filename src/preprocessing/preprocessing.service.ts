import { Injectable } from '@nestjs/common';
import { SplitIndices, stratifiedSplit } from './stratified-split';

/** Nest face of the seeded split, for services that prepare training data. */
@Injectable()
export class PreprocessingService {
  split(labels: ArrayLike<number>, seed: number): SplitIndices {
    return stratifiedSplit(labels, seed);
  }
}
