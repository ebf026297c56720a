public import Encoder

extension GobWriter: ResultSink {}
extension JSONWriter: ResultSink {}
extension CSVWriter: ResultSink {}
