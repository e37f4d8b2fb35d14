//! The AWS API emulator fixture (moto on 127.0.0.1).
