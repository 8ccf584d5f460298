const KEY = 'sk_emu_w9TSTmRVTPgy8MSOHtbdyHe7t2Wtw9T8';
