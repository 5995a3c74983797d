// The playground's Web Worker: one training session of purenet/worker, so training and loss
// landscapes never run on the page's thread.
import { serve } from 'purenet/worker'

// The DOM library types `self` as a Window; in this module it is the worker's global scope.
serve(self as unknown as Parameters<typeof serve>[0])
