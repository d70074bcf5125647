import { answerWithBytes } from '../../common/worker-offload-answer';
import { batchResponseText } from '../prediction-response';
import { PackedResponse, unpackResponse } from './packed-response';

/** Worker thread: writes a large batch's JSON answer, so the request thread only sends it. */
answerWithBytes((packed: PackedResponse) => Buffer.from(batchResponseText(unpackResponse(packed))));
