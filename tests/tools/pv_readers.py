"""What the check_paraview*.py scripts share: open an .xdmf in ParaView's XDMF
readers and fetch the dataset at the last time step (pvpython only)."""
from paraview import servermanager as sm
from paraview.simple import XDMFReader, Xdmf3ReaderS, Xdmf3ReaderT

READERS = {
    "Xdmf3ReaderS": lambda path: Xdmf3ReaderS(FileName=path),  # ParaView's default
    "Xdmf3ReaderT": lambda path: Xdmf3ReaderT(FileName=path),
    "XDMFReader": lambda path: XDMFReader(FileNames=[path]),
}


def last_step(reader, path):
    """(time values, dataset at the last of them) as the named reader loads path."""
    r = READERS[reader](path)
    r.UpdatePipelineInformation()
    times = list(r.TimestepValues)
    r.UpdatePipeline(times[-1] if times else 0.0)
    d = sm.Fetch(r)
    if d.IsA("vtkMultiBlockDataSet"):
        d = d.GetBlock(0)
    return times, d
