import { configure } from '@testing-library/react';

// CI machines are shared and slow at times: give findBy*/waitFor more room than 1 s.
// Imported for its effect by every helper a console test starts from.
configure({ asyncUtilTimeout: 8000 });
